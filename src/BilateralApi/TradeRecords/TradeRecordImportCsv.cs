using System.Globalization;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Import;
using nietras.SeparatedValues;

namespace BilateralApi.TradeRecords;

/// <summary>
/// Reads trade records from CSV (or TSV: the separator is detected from the header) with UN Comtrade's
/// column names, so that a file saved from Comtrade loads without editing, or with the API's own JSON
/// member names (what a CSV export of /v1/trade-records writes). Column names match case-insensitively;
/// columns not listed here are ignored.
/// <list type="table">
/// <item>reporter: <c>reporterISO</c> (alpha-3; Comtrade's W00 = WLD), else <c>reporterCode</c> (M49, with the Comtrade codes of <see cref="ComtradeCodes"/>), or <c>reporter</c></item>
/// <item>partner: <c>partnerISO</c>, else <c>partnerCode</c>, or <c>partner</c></item>
/// <item>year and month: <c>period</c> (YYYY annual, YYYYMM monthly), or <c>year</c> and <c>month</c> (empty month = annual)</item>
/// <item>flow: <c>flowCode</c> or <c>flow</c>; hs: <c>cmdCode</c> or <c>hs</c>; transportMode: <c>motCode</c> or <c>transportMode</c></item>
/// <item>valueUsd: <c>primaryValue</c> or <c>valueUsd</c> (rounded to whole cents; Comtrade publishes sub-cent fractions of converted currencies)</item>
/// <item>netWeightKg: <c>netWgt</c> or <c>netWeightKg</c>; quantity: <c>qty</c> or <c>quantity</c>; quantityUnit: <c>qtyUnitAbbr</c> or <c>quantityUnit</c> (Comtrade's N/A = none; a quantity of 0 without a unit = no quantity)</item>
/// <item>valueBasis: <c>valueBasis</c>, else CIF or FOB when <c>primaryValue</c> equals exactly one of <c>cifvalue</c>, <c>fobvalue</c>; estimated: <c>estimated</c> (true/false/1/0); sourceId: <c>sourceId</c> (else the sourceId parameter)</item>
/// <item>classification: <c>classificationCode</c> or <c>classification</c> (H0..H6, S1..S4, ...; default HS); origin: <c>origin</c>; a Comtrade+ <c>isReported</c> of false (or 0) makes the row an estimate</item>
/// <item>Rows the store does not keep as totals are skipped with a reason (never rejected, never stored as a total): a services row (<c>typeCode</c> S, an EB classification), a breakdown by second partner (<c>partner2Code</c> other than 0), customs procedure (<c>customsCode</c> other than C00) or mode of supply (<c>mosCode</c> other than 0), and Comtrade's sub-flows (domestic exports, foreign imports, processing).</item>
/// <item>Comtrade+ website exports end every data row with a delimiter: a row with one more field than the header, that field empty, is read as the header's columns.</item>
/// </list>
/// The legacy Comtrade columns and BACI's t,i,j,k,v,q are read by the same code, their names mapped
/// onto these (<see cref="LegacyComtradeCsv"/>, <see cref="BaciCsv"/>).
/// </summary>
internal sealed class TradeRecordCsvColumns
{
    private readonly CountryCatalog _countries;
    private readonly StringPool _pool = new();
    private readonly Dictionary<string, string> _columnOfField = new(StringComparer.Ordinal);

    private readonly int _reporterIso, _reporterCode, _partnerIso, _partnerCode, _period, _year, _month, _flow, _hs, _mot,
        _value, _netWeight, _qty, _qtyUnit, _valueBasis, _cif, _fob, _estimated, _sourceId, _partner2, _customs, _mos,
        _typeCode, _classification, _isReported, _origin, _qtyUnitCode;

    private readonly TradeFileFormat _dialect;

    private readonly IReadOnlyList<string> _names;

    public int ColumnCount => _names.Count;

    public bool HasSourceColumn => _sourceId >= 0;

    public static readonly string[] RecognisedColumns =
    [
        "reporterISO", "reporterCode", "reporter", "partnerISO", "partnerCode", "partner", "period", "year", "month",
        "flowCode", "flow", "cmdCode", "hs", "motCode", "transportMode", "primaryValue", "valueUsd", "netWgt", "netWeightKg",
        "qty", "quantity", "qtyUnitAbbr", "quantityUnit", "valueBasis", "cifvalue", "fobvalue", "estimated", "sourceId",
        "partner2Code", "customsCode", "mosCode", "refYear", "refMonth", "typeCode", "classificationCode", "classification",
        "isReported", "origin", "qtyUnitCode",
    ];

    public TradeRecordCsvColumns(IReadOnlyList<string> names, CountryCatalog countries, TradeFileFormat dialect = TradeFileFormat.Comtrade)
    {
        _countries = countries;
        _names = names;
        _dialect = dialect;
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = dialect switch
            {
                TradeFileFormat.ComtradeLegacy => LegacyComtradeCsv.Canonical(names[i].Trim()),
                TradeFileFormat.Baci => BaciCsv.Canonical(names[i].Trim()),
                _ => names[i].Trim(),
            };
            if (name.Length > 0 && !index.TryAdd(name, i) && RecognisedColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ImportBodyException($"The CSV header names the column '{name}' twice.", ImportHttp.InvalidBody);
            }
        }
        int Col(string name) => index.TryGetValue(name, out var i) ? i : -1;
        (_reporterIso, _reporterCode) = (Col("reporterISO"), Col("reporterCode"));
        if (_reporterIso < 0 && _reporterCode < 0)
        {
            _reporterIso = Col("reporter");
        }
        (_partnerIso, _partnerCode) = (Col("partnerISO"), Col("partnerCode"));
        if (_partnerIso < 0 && _partnerCode < 0)
        {
            _partnerIso = Col("partner");
        }
        (_period, _year, _month) = (Col("period"), First(Col("year"), Col("refYear")), First(Col("month"), Col("refMonth")));
        _flow = First(Col("flowCode"), Col("flow"));
        _hs = First(Col("cmdCode"), Col("hs"));
        _mot = First(Col("motCode"), Col("transportMode"));
        _value = First(Col("primaryValue"), Col("valueUsd"));
        _netWeight = First(Col("netWgt"), Col("netWeightKg"));
        _qty = First(Col("qty"), Col("quantity"));
        _qtyUnit = First(Col("qtyUnitAbbr"), Col("quantityUnit"));
        (_valueBasis, _cif, _fob, _estimated, _sourceId) = (Col("valueBasis"), Col("cifvalue"), Col("fobvalue"), Col("estimated"), Col("sourceId"));
        (_partner2, _customs, _mos) = (Col("partner2Code"), Col("customsCode"), Col("mosCode"));
        (_typeCode, _classification, _isReported, _origin) = (Col("typeCode"), First(Col("classificationCode"), Col("classification")), Col("isReported"), Col("origin"));
        _qtyUnitCode = _qtyUnit < 0 ? Col("qtyUnitCode") : -1;

        var missing = new List<string>();
        if (_reporterIso < 0 && _reporterCode < 0)
        {
            missing.Add("reporterISO or reporterCode");
        }
        if (_partnerIso < 0 && _partnerCode < 0)
        {
            missing.Add("partnerISO or partnerCode");
        }
        if (_period < 0 && _year < 0)
        {
            missing.Add("period (or year)");
        }
        if (_flow < 0 && dialect != TradeFileFormat.Baci)
        {
            missing.Add("flowCode");
        }
        if (_hs < 0)
        {
            missing.Add("cmdCode");
        }
        if (missing.Count > 0)
        {
            throw new ImportBodyException($"The CSV header lacks the column(s) {string.Join(", ", missing)}. Recognised columns: {string.Join(", ", RecognisedColumns)}.", ImportHttp.InvalidBody);
        }

        Map("reporter", _reporterIso >= 0 ? _reporterIso : _reporterCode);
        Map("partner", _partnerIso >= 0 ? _partnerIso : _partnerCode);
        Map("year", _period >= 0 ? _period : _year);
        Map("month", _period >= 0 ? _period : _month);
        Map("flow", _flow);
        Map("hs", _hs);
        Map("transportMode", _mot);
        Map("valueUsd", _value);
        Map("netWeightKg", _netWeight);
        Map("quantity", _qty);
        Map("quantityUnit", _qtyUnit);
        Map("valueBasis", _valueBasis);
        Map("estimated", _estimated);
        Map("sourceId", _sourceId);
        Map("classification", _classification);
        Map("origin", _origin);
    }

    private static int First(int a, int b) => a >= 0 ? a : b;

    private void Map(string field, int column)
    {
        if (column >= 0)
        {
            _columnOfField[field] = _names[column];
        }
    }

    /// <summary>The CSV column a write member came from, for rejection messages.</summary>
    public string? ColumnOf(string field) => field switch
    {
        "reporter" => _reporterColumn,
        "partner" => _partnerColumn,
        _ => _columnOfField.GetValueOrDefault(field),
    };

    // Which of the ISO/code columns gave the current row's countries.
    private string? _reporterColumn;
    private string? _partnerColumn;

    /// <summary>
    /// The write a CSV row stands for; or the reasons it cannot be read as one (<paramref name="errors"/>);
    /// or, for a row the store does not keep, the reason it is skipped (<paramref name="skipReason"/>, see <see cref="SkipReasons"/>).
    /// </summary>
    public TradeRecordWrite? Read<TRow>(TRow row, string? defaultSourceId, out List<ImportError>? errors, out string? skipReason)
        where TRow : ITradeCells, allows ref struct
    {
        errors = null;
        // Comtrade+ website exports end each data row with a delimiter: one more field than the header, empty.
        if (row.Count != _names.Count && !(row.Count == _names.Count + 1 && row[_names.Count].Trim().IsEmpty))
        {
            skipReason = null;
            errors = [new("$", null, $"The row has {row.Count} columns; the header has {_names.Count}.")];
            return null;
        }
        skipReason = SkipReason(row);
        if (skipReason is not null)
        {
            return null;
        }
        var reporter = Country(row, _reporterIso, _reporterCode, out _reporterColumn);
        var partner = Country(row, _partnerIso, _partnerCode, out _partnerColumn);
        int? year = null;
        int? month = null;
        if (_period >= 0)
        {
            var period = Cell(row, _period);
            if (period.Length == 4 && int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
            {
                year = y;
            }
            else if (period.Length == 6 && int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out var ym))
            {
                (year, month) = (ym / 100, ym % 100);
            }
            else if (period.Length > 0)
            {
                Error(ref errors, "year", _period, $"'{period}' is not a period: use YYYY (annual) or YYYYMM (monthly).");
            }
        }
        else
        {
            year = Integer(row, _year, "year", ref errors);
            month = Integer(row, _month, "month", ref errors);
            if (month == ComtradeValues.AnnualRefMonth)
            {
                // Comtrade+ gives annual rows refMonth 52.
                month = null;
            }
        }
        var flow = _dialect == TradeFileFormat.Baci ? "X" : ComtradeValues.Flow(Text(row, _flow));
        var hs = Text(row, _hs);
        var mot = Integer(row, _mot, "transportMode", ref errors);
        var value = Number(row, _value, "valueUsd", ref errors);
        var netWeight = Number(row, _netWeight, "netWeightKg", ref errors);
        if (_dialect == TradeFileFormat.Baci)
        {
            (value, netWeight, hs) = (BaciCsv.Usd(value), BaciCsv.Kilograms(netWeight), BaciCsv.Hs(hs));
        }
        if (value is { } v && decimal.Round(v, 2) != v)
        {
            value = decimal.Round(v, 2, MidpointRounding.AwayFromZero);
        }
        var qty = Number(row, _qty, "quantity", ref errors);
        var unit = _qtyUnitCode >= 0 ? LegacyComtradeCsv.QuantityUnit(Text(row, _qtyUnitCode)) : Text(row, _qtyUnit);
        if (unit is "N/A" or "-1")
        {
            unit = null;
        }
        if (qty == 0m && unit is null)
        {
            qty = null;
        }
        var valueBasis = _dialect == TradeFileFormat.Baci ? "FOB" : Text(row, _valueBasis);
        if (valueBasis is null && value is not null && (_cif >= 0 || _fob >= 0))
        {
            var cif = Number(row, _cif, "valueBasis", ref errors);
            var fob = Number(row, _fob, "valueBasis", ref errors);
            var original = Number(row, _value, "valueUsd", ref errors);
            valueBasis = (original == cif, original == fob) switch
            {
                (true, false) => "CIF",
                (false, true) => "FOB",
                _ => null,
            };
        }
        var estimated = Boolean(row, _estimated, "estimated", ref errors);
        if (estimated is null && Boolean(row, _isReported, "estimated", ref errors) is { } reported)
        {
            estimated = !reported;
        }
        if (_dialect == TradeFileFormat.Baci)
        {
            // BACI's figures are CEPII's reconciliation of both partners' reports, not a reported value.
            estimated = true;
        }
        var sourceId = Text(row, _sourceId) ?? defaultSourceId;
        var classification = Text(row, _classification);
        var origin = _dialect == TradeFileFormat.Baci ? TradeClassifications.Reconciled : Text(row, _origin);
        return errors is null
            ? new TradeRecordWrite(reporter, partner, year, month, flow, hs, mot, value, netWeight, qty, unit, valueBasis, estimated, sourceId, classification, origin)
            : null;
    }

    /// <summary>Why the row is not stored, when it is one the store keeps no total for; null for a row to store.</summary>
    private string? SkipReason<TRow>(TRow row) where TRow : ITradeCells, allows ref struct
    {
        if (Cell(row, _typeCode).Equals("S", StringComparison.OrdinalIgnoreCase) || Cell(row, _classification).StartsWith("EB", StringComparison.OrdinalIgnoreCase))
        {
            return SkipReasons.Services;
        }
        if (Breakdown(row, _partner2, "0"))
        {
            return SkipReasons.SecondPartnerBreakdown;
        }
        if (Breakdown(row, _customs, "C00"))
        {
            return SkipReasons.CustomsProcedureBreakdown;
        }
        if (Breakdown(row, _mos, "0"))
        {
            return SkipReasons.ModeOfSupplyBreakdown;
        }
        if (_flow >= 0 && ComtradeValues.IsSubFlow(Cell(row, _flow)))
        {
            return SkipReasons.SubFlow;
        }
        return null;
    }

    /// <summary>A breakdown column holding something other than its total's code (an empty cell is the total).</summary>
    private static bool Breakdown<TRow>(TRow row, int column, string total) where TRow : ITradeCells, allows ref struct =>
        column >= 0 && Cell(row, column) is { Length: > 0 } cell && !cell.Equals(total, StringComparison.OrdinalIgnoreCase)
        && !(total == "0" && cell.TrimStart('0').IsEmpty);

    private string? Country<TRow>(TRow row, int isoColumn, int codeColumn, out string? column) where TRow : ITradeCells, allows ref struct
    {
        column = isoColumn >= 0 ? _names[isoColumn] : _names[codeColumn];
        var iso = Text(row, isoColumn);
        if (iso is not null)
        {
            var mapped = ComtradeCodes.FromIso(iso);
            if (_countries.IsKnown(mapped) || codeColumn < 0)
            {
                return mapped;
            }
        }
        var code = Text(row, codeColumn);
        if (code is null)
        {
            return iso;
        }
        column = _names[codeColumn];
        return ComtradeCodes.FromCode(code);
    }

    private static ReadOnlySpan<char> Cell<TRow>(TRow row, int column) where TRow : ITradeCells, allows ref struct =>
        column < 0 ? [] : row[column].Trim();

    private string? Text<TRow>(TRow row, int column) where TRow : ITradeCells, allows ref struct
    {
        var cell = Cell(row, column);
        return cell.IsEmpty ? null : _pool.Get(cell);
    }

    private int? Integer<TRow>(TRow row, int column, string field, ref List<ImportError>? errors) where TRow : ITradeCells, allows ref struct
    {
        var cell = Cell(row, column);
        if (cell.IsEmpty)
        {
            return null;
        }
        if (int.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        // Comtrade+ writes some whole numbers as 2100.0.
        if (decimal.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }
        Error(ref errors, field, column, $"'{cell.ToString()}' is not a whole number.");
        return null;
    }

    private decimal? Number<TRow>(TRow row, int column, string field, ref List<ImportError>? errors) where TRow : ITradeCells, allows ref struct
    {
        var cell = Cell(row, column);
        if (cell.IsEmpty || (_dialect == TradeFileFormat.Baci && cell.SequenceEqual(BaciCsv.Unknown)))
        {
            return null;
        }
        if (decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        Error(ref errors, field, column, $"'{cell.ToString()}' is not a number (use '.' for decimals and no thousands separators).");
        return null;
    }

    private bool? Boolean<TRow>(TRow row, int column, string field, ref List<ImportError>? errors) where TRow : ITradeCells, allows ref struct
    {
        var cell = Cell(row, column);
        if (cell.IsEmpty)
        {
            return null;
        }
        if (cell.Equals("true", StringComparison.OrdinalIgnoreCase) || cell.SequenceEqual("1"))
        {
            return true;
        }
        if (cell.Equals("false", StringComparison.OrdinalIgnoreCase) || cell.SequenceEqual("0"))
        {
            return false;
        }
        Error(ref errors, field, column, $"'{cell.ToString()}' is not a boolean: use true, false, 1 or 0.");
        return null;
    }

    private void Error(ref List<ImportError>? errors, string field, int column, string message) =>
        (errors ??= []).Add(new ImportError(field, _names[column], message));
}

/// <summary>
/// UN Comtrade's own reporter/partner codes where they differ from ISO 3166-1, which CEPII BACI uses too:
/// Comtrade numbers some countries by their customs territory (842 USA including Puerto Rico and the
/// Virgin Islands, 251 France including Monaco, 699 India including Sikkim, 757 Switzerland including
/// Liechtenstein, 579 Norway including Svalbard and Jan Mayen, ...), and World as 0 / W00. The list is
/// data/reference/baci-country-codes.csv. Comtrade's areas that are not countries (490 "Other Asia,
/// nes", 899 "Areas, nes", 837 bunkers, ...) are reference areas of the country table (isCountry false),
/// found by their numeric code like any country.
/// </summary>
public static class ComtradeCodes
{
    public const string CodesFile = "Reference.baci-country-codes.csv";

    private static readonly Dictionary<string, string> Numeric = Load();

    private static Dictionary<string, string> Load()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal) { ["0"] = "WLD" };
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(EmbeddedData.Open(CodesFile));
        foreach (var row in reader)
        {
            codes[row["code"].ToString()] = row["alpha3"].ToString();
        }
        return codes;
    }

    public static string FromIso(string iso) => iso.Equals("W00", StringComparison.OrdinalIgnoreCase) ? "WLD" : iso;

    public static string FromCode(string code) => Numeric.GetValueOrDefault(code.TrimStart('0').PadLeft(1, '0'), code);
}

/// <summary>Reuses the string of a cell value seen before (countries, flows, HS codes repeat), so a million rows do not allocate millions of copies.</summary>
internal sealed class StringPool
{
    private const int MaxEntries = 100_000;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> value)
    {
        if (_lookup.TryGetValue(value, out var found))
        {
            return found;
        }
        var text = value.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings[text] = text;
        }
        return text;
    }
}

using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;

namespace BilateralApi.TradeRecords;

/// <summary>
/// The rules of <see cref="TradeRecordWriteValidator"/> written out as plain synchronous code, for the
/// bulk import's hot path: a row these rules accept is one the validator accepts, so the import skips the
/// validator (its rule pipeline and async source rule cost more than the row's insert). A row they refuse
/// goes through the validator, which stays the single source of truth and words every reason.
/// The test TradeRecordImportRulesTests checks both agree on every rule's edge cases.
/// </summary>
internal sealed class TradeRecordImportRules(CountryCatalog countries, CodeListCatalog codes, CommodityCatalog commodities, RecordLookup records)
{
    // Code-list answers for the values a file repeats (flows, transport modes, value bases), so each is looked up once.
    private readonly Dictionary<string, bool> _flows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _valueBases = new(StringComparer.Ordinal);
    private readonly Dictionary<int, bool> _transportModes = [];

    /// <summary>True when the validator would accept the row; false means "ask the validator".</summary>
    public bool Accepts(TradeRecordWrite w)
    {
        if (string.IsNullOrWhiteSpace(w.Reporter) || !countries.IsKnown(w.Reporter))
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(w.Partner) || !countries.IsKnown(w.Partner))
        {
            return false;
        }
        var reporter = countries.Normalize(w.Reporter);
        if (reporter == TradeRecordWriteValidator.World || countries.Normalize(w.Partner) == reporter)
        {
            return false;
        }
        if (w.Year is not { } year || year < TradeRecordWriteValidator.MinYear || year > TradeRecordWriteValidator.MaxYear)
        {
            return false;
        }
        if (w.Month is { } month && (month < 1 || month > 12))
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(w.Flow) || !Cached(_flows, w.Flow, "tradeFlow"))
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(w.Hs))
        {
            return false;
        }
        if (w.Classification is { } classification && !TradeClassifications.IsKnown(classification))
        {
            return false;
        }
        if (TradeClassifications.IsHs(w.Classification) ? !commodities.IsAcceptable(w.Hs) : !TradeClassifications.IsPlainCode(w.Hs))
        {
            return false;
        }
        if (w.Origin is { } origin && !TradeClassifications.Origins.Contains(origin))
        {
            return false;
        }
        if (w.TransportMode is { } mode && !TransportMode(mode))
        {
            return false;
        }
        if (w.ValueUsd is { } usd && (usd < 0m || usd > TradeRecordWriteValidator.MaxAmount || decimal.Round(usd, 2) != usd))
        {
            return false;
        }
        if (!StoredMeasure(w.NetWeightKg) || !StoredMeasure(w.Quantity))
        {
            return false;
        }
        if (w.QuantityUnit is { } unit && (unit.Length > TradeRecordWriteValidator.QuantityUnitMaxLength || HasControl(unit)))
        {
            return false;
        }
        if (w.Quantity is not null && string.IsNullOrWhiteSpace(w.QuantityUnit))
        {
            return false;
        }
        if (w.ValueBasis is { } basis && !Cached(_valueBases, basis, "valueBasis"))
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(w.SourceId))
        {
            return false;
        }
        var source = records.ExistsAsync("source", w.SourceId, CancellationToken.None);
        return source.IsCompletedSuccessfully && source.Result;
    }

    private static bool StoredMeasure(decimal? value) =>
        value is not { } v || (v >= 0m && v <= TradeRecordWriteValidator.MaxAmount && (decimal)(double)v == v);

    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return true;
            }
        }
        return false;
    }

    private bool Cached(Dictionary<string, bool> cache, string code, string list)
    {
        if (!cache.TryGetValue(code, out var known))
        {
            known = codes.Contains(list, code);
            if (cache.Count < 1_000)
            {
                cache[code] = known;
            }
        }
        return known;
    }

    private bool TransportMode(int mode)
    {
        if (!_transportModes.TryGetValue(mode, out var known))
        {
            known = codes.Contains("transportMode", mode.ToString(CultureInfo.InvariantCulture));
            if (_transportModes.Count < 1_000)
            {
                _transportModes[mode] = known;
            }
        }
        return known;
    }
}

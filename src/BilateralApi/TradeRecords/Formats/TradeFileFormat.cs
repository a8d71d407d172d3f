using System.Text.Json;
using BilateralApi.Infrastructure.Import;

namespace BilateralApi.TradeRecords;

/// <summary>The trade files the import reads (docs/decisions/0027-trade-file-formats.md).</summary>
public enum TradeFileFormat
{
    /// <summary>CSV/TSV with UN Comtrade+ columns (typeCode … isAggregate, as the website exports them) or the API's own member names.</summary>
    Comtrade,

    /// <summary>CSV with the legacy UN Comtrade columns (Classification, Year, Period, … Trade Value (US$), Flag).</summary>
    ComtradeLegacy,

    /// <summary>CEPII BACI: t,i,j,k,v,q.</summary>
    Baci,

    /// <summary>A UN Comtrade+ API answer saved as is: {"elapsedTime", "count", "data": [...], "error"}.</summary>
    ComtradeJson,

    /// <summary>One trade record write (this API's shape) per line.</summary>
    Ndjson,

    /// <summary>A JSON array of trade record writes (this API's shape).</summary>
    Json,
}

/// <summary>
/// Recognises a trade file from its first bytes and, for CSV, its header: the file says what it is;
/// the format parameter (HTTP) or --format (CLI) only overrides.
/// </summary>
public static class TradeFileFormats
{
    /// <summary>The names the format parameter takes, in the order documented.</summary>
    public static readonly IReadOnlyDictionary<string, TradeFileFormat> Names = new Dictionary<string, TradeFileFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["comtrade"] = TradeFileFormat.Comtrade,
        ["comtrade-legacy"] = TradeFileFormat.ComtradeLegacy,
        ["baci"] = TradeFileFormat.Baci,
        ["comtrade-json"] = TradeFileFormat.ComtradeJson,
        ["ndjson"] = TradeFileFormat.Ndjson,
        ["json"] = TradeFileFormat.Json,
    };

    public static string AllowedNames => string.Join(", ", Names.Keys);

    public static bool TryParse(string? name, out TradeFileFormat? format)
    {
        format = null;
        if (string.IsNullOrEmpty(name))
        {
            return true;
        }
        if (Names.TryGetValue(name, out var found))
        {
            format = found;
            return true;
        }
        return false;
    }

    public static bool IsCsv(TradeFileFormat format) => format is TradeFileFormat.Comtrade or TradeFileFormat.ComtradeLegacy or TradeFileFormat.Baci;

    /// <summary>
    /// The family the first bytes show: '[' a JSON array, '{' a Comtrade+ API answer when its first member
    /// is one of the answer's (elapsedTime, count, data, error) else NDJSON, anything else CSV (whose header
    /// then names the dialect). An empty body keeps <paramref name="declared"/> (the Content-Type's format).
    /// </summary>
    public static TradeFileFormat DetectFamily(ReadOnlySpan<byte> head, ImportFormat declared)
    {
        var start = 0;
        while (start < head.Length && head[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }
        if (start == head.Length)
        {
            return declared switch
            {
                ImportFormat.Ndjson => TradeFileFormat.Ndjson,
                ImportFormat.JsonArray => TradeFileFormat.Json,
                _ => TradeFileFormat.Comtrade,
            };
        }
        return head[start] switch
        {
            (byte)'[' => TradeFileFormat.Json,
            (byte)'{' => IsComtradeAnswer(head[start..]) ? TradeFileFormat.ComtradeJson : TradeFileFormat.Ndjson,
            _ => TradeFileFormat.Comtrade,
        };
    }

    private static readonly string[] AnswerMembers = ["elapsedTime", "count", "data", "error"];

    private static bool IsComtradeAnswer(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, default);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName
                && AnswerMembers.Contains(reader.GetString(), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The CSV dialect a header names: BACI's t,i,j,k,v,q; the legacy Comtrade columns; else Comtrade+ (or the API's own names).</summary>
    public static TradeFileFormat DetectCsvDialect(IReadOnlyList<string> header)
    {
        var names = header.Select(n => n.Trim()).Where(n => n.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (names.SetEquals(BaciCsv.Columns))
        {
            return TradeFileFormat.Baci;
        }
        if (names.Contains("Commodity Code") || names.Contains("Trade Flow Code") || names.Contains("Trade Flow") || names.Contains("Reporter Code"))
        {
            return TradeFileFormat.ComtradeLegacy;
        }
        return TradeFileFormat.Comtrade;
    }
}

using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Querying;

namespace BilateralApi.TradeAnalytics;

/// <summary>
/// Single-valued parameters of the analytics (one country, one flow, one exact HS code, a year range,
/// a basis, a limit), parsed into the shared <see cref="ListFilters"/> error collection so that one
/// 400 names every bad parameter.
/// </summary>
public sealed class AnalyticsParameters(CountryCatalog countries, CodeListCatalog codes)
{
    public const int MinYear = 1900;
    public const int MaxYear = 2100;

    public ListFilters Filters { get; } = new(countries, codes);

    public bool IsValid => Filters.IsValid;

    public string Country(string parameter, string? raw, bool allowWorld = false)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            Filters.Error(parameter, "Required: a country as ISO 3166-1 alpha-3, alpha-2 or numeric code.");
            return "";
        }
        if (!countries.TryResolve(raw, out var alpha3))
        {
            Filters.Error(parameter, $"'{raw}' is not a known country: use ISO 3166-1 alpha-3, alpha-2 or numeric codes.");
            return "";
        }
        if (!allowWorld && alpha3 == "WLD")
        {
            Filters.Error(parameter, "WLD (World) is a trade total, not a country here.");
            return "";
        }
        return alpha3;
    }

    public string Flow(string parameter, string? raw, params string[] allowed)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            Filters.Error(parameter, $"Required: one of {string.Join(", ", allowed.Length > 0 ? allowed : Codes("tradeFlow"))}.");
            return "";
        }
        raw = raw.Trim();
        var ok = allowed.Length > 0 ? allowed.Contains(raw, StringComparer.Ordinal) : codes.Contains("tradeFlow", raw);
        if (!ok)
        {
            Filters.Error(parameter, $"'{raw}' is not allowed here. Allowed: {string.Join(", ", allowed.Length > 0 ? allowed : Codes("tradeFlow"))}.");
            return "";
        }
        return raw;
    }

    /// <summary>An exact HS code: TOTAL (the default) or 2, 4 or 6 digits. Not a prefix: levels are never mixed in one sum.</summary>
    public string Hs(string parameter, string? raw)
    {
        if (raw is null)
        {
            return "TOTAL";
        }
        raw = raw.Trim();
        if (raw == "TOTAL" || (raw.Length is 2 or 4 or 6 && raw.All(char.IsAsciiDigit)))
        {
            return raw;
        }
        Filters.Error(parameter, $"'{raw}' is not an HS code: TOTAL, or 2, 4 or 6 digits (matched exactly, not as a prefix).");
        return "TOTAL";
    }

    /// <summary>A year or an inclusive range (2023, 2020..2024, 2020.., ..2024); all years when absent.</summary>
    public (int From, int To) Years(string parameter, string? raw)
    {
        if (raw is null)
        {
            return (MinYear, MaxYear);
        }
        var parts = raw.Contains("..", StringComparison.Ordinal) ? raw.Split("..", 2) : [raw, raw];
        int? low = ParseYear(parts[0]), high = ParseYear(parts[1]);
        if ((parts[0].Trim().Length > 0 && low is null) || (parts[1].Trim().Length > 0 && high is null) || (low is null && high is null))
        {
            Filters.Error(parameter, $"Use a year from {MinYear} to {MaxYear} or a range lo..hi, lo.. or ..hi of them.");
            return (MinYear, MaxYear);
        }
        var range = (low ?? MinYear, high ?? MaxYear);
        if (range.Item1 > range.Item2)
        {
            Filters.Error(parameter, "The range is empty: its start is after its end.");
        }
        return range;
    }

    public string Basis(string parameter, string? raw)
    {
        switch (raw?.Trim())
        {
            case null or "value":
                return "value";
            case "weight":
                return "weight";
            default:
                Filters.Error(parameter, $"'{raw}' is not a basis. Allowed: value, weight.");
                return "value";
        }
    }

    public int Limit(string parameter, string? raw, int defaultValue, int max)
    {
        if (raw is null)
        {
            return defaultValue;
        }
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            Filters.Error(parameter, $"'{raw}' is not a whole number from 1 to {max}.");
            return defaultValue;
        }
        return limit;
    }

    /// <summary>One choice from a fixed list.</summary>
    public string Choice(string parameter, string? raw, string defaultValue, params string[] allowed)
    {
        if (raw is null)
        {
            return defaultValue;
        }
        if (!allowed.Contains(raw.Trim(), StringComparer.Ordinal))
        {
            Filters.Error(parameter, $"'{raw}' is not allowed. Allowed: {string.Join(", ", allowed)}.");
            return defaultValue;
        }
        return raw.Trim();
    }

    private static int? ParseYear(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= MinYear and <= MaxYear ? year : null;

    private IEnumerable<string> Codes(string list) => codes.Entries(list).Select(e => e.Code);
}

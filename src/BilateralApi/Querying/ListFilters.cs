using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Querying;

/// <summary>
/// Parses the per-field list parameters with the one value grammar and turns them into SQL clauses
/// over whitelisted columns. Collects every parameter error so one 400 names them all.
/// </summary>
public sealed class ListFilters(CountryCatalog countries, CodeListCatalog codes)
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public SqlConditions Sql { get; } = new();

    public bool IsValid => _errors.Count == 0;

    public ValidationProblem Problem() => Problems.Validation(_errors, Problems.InvalidParameter,
        "One or more query parameters are invalid; see 'errors'.");

    /// <summary>Codes of a code list: any of / none of. <paramref name="convert"/> types the codes of a numeric column.</summary>
    public void Codes(string parameter, string? raw, string column, string list, Func<string, object?>? convert = null)
    {
        if (Parse(parameter, raw, allowRange: false) is not { } value)
        {
            return;
        }
        var unknown = Items(value).Where(v => !codes.Contains(list, v)).ToList();
        if (unknown.Count > 0)
        {
            Error(parameter, $"'{string.Join(", ", unknown)}' is not a {list} code. Allowed: {codes.Allowed(list)}.");
            return;
        }
        Sql.AddValue(column, value, convert ?? (v => v));
    }

    /// <summary>Values of a small fixed set (e.g. agreement, event): any of / none of.</summary>
    public void OneOf(string parameter, string? raw, string column, IReadOnlyList<string> allowed)
    {
        if (Parse(parameter, raw, allowRange: false) is not { } value)
        {
            return;
        }
        var unknown = Items(value).Where(v => !allowed.Contains(v, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            Error(parameter, $"'{string.Join(", ", unknown)}' is not allowed. Allowed: {string.Join(", ", allowed)}.");
            return;
        }
        Sql.AddValue(column, value, v => v);
    }

    /// <summary>Codes matched through a child table: <paramref name="existsTemplate"/> has {0} for the list parameter.</summary>
    public void CodesExist(string parameter, string? raw, string existsTemplate, string list)
    {
        if (Parse(parameter, raw, allowRange: false) is not { } value)
        {
            return;
        }
        var unknown = Items(value).Where(v => !codes.Contains(list, v)).ToList();
        if (unknown.Count > 0)
        {
            Error(parameter, $"'{string.Join(", ", unknown)}' is not a {list} code. Allowed: {codes.Allowed(list)}.");
            return;
        }
        AddExists(value, existsTemplate, Items(value).ToArray());
    }

    /// <summary>Countries in any accepted form, normalised to alpha-3, on one column.</summary>
    public void Countries(string parameter, string? raw, string column)
    {
        if (ParseCountries(parameter, raw) is { } value)
        {
            Sql.AddValue(column, value, v => countries.Normalize(v));
        }
    }

    /// <summary>Countries matched through a child table or several columns: the template has {0} for the list parameter.</summary>
    public void CountriesExist(string parameter, string? raw, string existsTemplate)
    {
        if (ParseCountries(parameter, raw) is { } value)
        {
            AddExists(value, existsTemplate, Items(value).Select(v => countries.Normalize(v)).ToArray());
        }
    }

    /// <summary>pair=A,B: rows that involve both countries; <paramref name="bothTemplate"/> has {0} and {1} for the two codes.</summary>
    public void Pair(string parameter, string? raw, string bothTemplate)
    {
        if (raw is null)
        {
            return;
        }
        var parts = raw.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts.Any(p => !countries.IsKnown(p)))
        {
            Error(parameter, "Give two known countries, e.g. pair=AZE,ISR (alpha-3, alpha-2 or numeric codes).");
            return;
        }
        Sql.Add(string.Format(CultureInfo.InvariantCulture, bothTemplate, Sql.Param(countries.Normalize(parts[0])), Sql.Param(countries.Normalize(parts[1]))));
    }

    /// <summary>Whole numbers in [min, max]: equals, any of, none of, ranges.</summary>
    public void Integers(string parameter, string? raw, string column, int min, int max)
    {
        if (Parse(parameter, raw, allowRange: true) is not { } value)
        {
            return;
        }
        var bad = Items(value).Where(v => !int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max).ToList();
        if (bad.Count > 0)
        {
            Error(parameter, $"'{string.Join(", ", bad)}' is not a whole number from {min} to {max}.");
            return;
        }
        Sql.AddValue(column, value, v => int.Parse(v, CultureInfo.InvariantCulture));
    }

    /// <summary>A flag stored as 0/1: true or false.</summary>
    public void Boolean(string parameter, string? raw, string column)
    {
        switch (raw?.Trim())
        {
            case null:
                return;
            case "true":
                Sql.Add($"{column} = 1");
                return;
            case "false":
                Sql.Add($"{column} = 0");
                return;
            default:
                Error(parameter, $"'{raw}' is not true or false.");
                return;
        }
    }

    /// <summary>Ids of curated records (slugs) on one column: any of / none of.</summary>
    public void Ids(string parameter, string? raw, string column)
    {
        if (Parse(parameter, raw, allowRange: false) is not { } value)
        {
            return;
        }
        var bad = Items(value).Where(v => !RuleExtensions.SlugPattern().IsMatch(v)).ToList();
        if (bad.Count > 0)
        {
            Error(parameter, $"'{string.Join(", ", bad)}' is not a valid id: use 3 to 100 characters a-z, 0-9 and '-', starting with a letter or digit.");
            return;
        }
        Sql.AddValue(column, value, v => v);
    }

    /// <summary>HS codes by prefix: hs=27 finds 2709; TOTAL matches only TOTAL.</summary>
    public void HsPrefixes(string parameter, string? raw, string column)
    {
        if (Parse(parameter, raw, allowRange: false) is not { } value)
        {
            return;
        }
        var items = Items(value).ToList();
        var bad = items.Where(v => v != "TOTAL" && (v.Length is < 2 or > 6 || !v.All(char.IsAsciiDigit))).ToList();
        if (bad.Count > 0)
        {
            Error(parameter, $"'{string.Join(", ", bad)}' is not an HS code prefix (2 to 6 digits) or TOTAL.");
            return;
        }
        var any = string.Join(" OR ", items.Select(v => v == "TOTAL" ? $"{column} = 'TOTAL'" : $"{column} LIKE {Sql.Param(v + "%")}"));
        Sql.Add(value is FilterValue.NoneOf ? $"NOT ({any})" : $"({any})");
    }

    /// <summary>Dates by overlap: a partial date (2024, 2024-03) or a range of them against [startColumn, endColumn].</summary>
    public void DateOverlap(string parameter, string? raw, string startColumn, string endColumn)
    {
        if (raw is null)
        {
            return;
        }
        var parts = raw.Contains("..", StringComparison.Ordinal) ? raw.Split("..", 2) : [raw, raw];
        PartialDate? low = null, high = null;
        if ((parts[0].Length > 0 && !PartialDate.TryParse(parts[0].Trim(), out low)) ||
            (parts[1].Length > 0 && !PartialDate.TryParse(parts[1].Trim(), out high)) ||
            (parts[0].Length == 0 && parts[1].Length == 0))
        {
            Error(parameter, "Use a date YYYY, YYYY-MM or YYYY-MM-DD, or a range lo..hi, lo.. or ..hi of them.");
            return;
        }
        if (low is not null)
        {
            Sql.Add($"{endColumn} >= {Sql.Param(PartialDate.Iso(low.Value.Start))}");
        }
        if (high is not null)
        {
            Sql.Add($"{startColumn} <= {Sql.Param(PartialDate.Iso(high.Value.End))}");
        }
    }

    public void Error(string parameter, string message) =>
        _errors[parameter] = [.. _errors.GetValueOrDefault(parameter, []), message];

    private FilterValue? ParseCountries(string parameter, string? raw)
    {
        if (Parse(parameter, raw, allowRange: false) is not { } value)
        {
            return null;
        }
        var unknown = Items(value).Where(v => !countries.IsKnown(v)).ToList();
        if (unknown.Count > 0)
        {
            Error(parameter, $"'{string.Join(", ", unknown)}' is not a known country: use ISO 3166-1 alpha-3, alpha-2 or numeric codes.");
            return null;
        }
        return value;
    }

    private void AddExists(FilterValue value, string existsTemplate, object?[] items)
    {
        var clause = string.Format(CultureInfo.InvariantCulture, existsTemplate, Sql.List(items));
        Sql.Add(value is FilterValue.NoneOf ? $"NOT {clause}" : clause);
    }

    private FilterValue? Parse(string parameter, string? raw, bool allowRange)
    {
        if (raw is null)
        {
            return null;
        }
        if (!FilterValue.TryParse(raw, allowRange, out var value, out var error))
        {
            Error(parameter, error!);
            return null;
        }
        return value;
    }

    private static IEnumerable<string> Items(FilterValue value) => value switch
    {
        FilterValue.AnyOf any => any.Values,
        FilterValue.NoneOf none => none.Values,
        FilterValue.Range range => new[] { range.Low, range.High }.OfType<string>(),
        _ => [],
    };
}

using System.Text.Json;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Querying;

/// <summary>
/// What a list is asked for, independent of how it was asked (an HTTP request, the export command):
/// the query-language and paging parameters, every query parameter as given (for the per-field
/// parameters of the field map and the cursor's fingerprint), the names the list declares itself
/// (those are not per-field parameters of the field map; null: the list takes none) and the Accept
/// header, which chooses the format when format= is absent.
/// </summary>
public sealed record ListRequest(
    ListParameters List,
    PageParameters Paging,
    IReadOnlyList<KeyValuePair<string, string?>> Query,
    IReadOnlySet<string>? DeclaredNames,
    string? Accept = null);

/// <summary>What planning gives: a plan, or the 400 naming every unusable parameter.</summary>
public sealed record PlanOutcome<TPlan>(TPlan? Plan, ValidationProblem? Problem) where TPlan : class;

/// <summary>
/// The pure half of the query language (docs/querying.md): parameters in, a <see cref="ListPlan"/> or a
/// validation problem out, with no request, no services and no database. The list endpoints, the export
/// command and /v1/search plan here; a store's executor runs the plan.
/// </summary>
public static class ListPlanner
{
    public const string InvalidFilter = "invalidFilter";

    private static readonly string[] NotFingerprinted = ["cursor", "limit", "fields", "expand", "count", "facet", "format"];

    /// <param name="filters">The list's own per-field filters, already applied; errors collected so far stay.</param>
    /// <param name="cursorKey">The key cursors are signed with (<see cref="CursorKeys"/>).</param>
    public static PlanOutcome<ListPlan> Plan<TItem>(ListRequest request, QueryResource resource, ListFilters filters,
        CountryCatalog countries, JsonSerializerOptions json, byte[] cursorKey)
    {
        var (list, paging) = (request.List, request.Paging);
        var sql = filters.Sql;

        if (!PageParameters.TryParseLimit(paging.Limit, out var limit, out var limitError))
        {
            filters.Error("limit", limitError!);
        }

        if (request.DeclaredNames is { } declared)
        {
            FieldParameters.Apply(request.Query, declared, resource, filters, countries);
        }
        var format = Format(list.Format, request.Accept, filters);
        var hasQuery = false;
        FullTextQuery? search = null;
        if (list.Q is not null)
        {
            hasQuery = true;
            search = Search(resource, list, filters);
        }
        else if (list.SearchMode is not null || list.SearchFields is not null)
        {
            filters.Error(list.SearchMode is not null ? "searchMode" : "searchFields", "Give q= to search.");
        }
        var keys = Sort(resource, list.Sort, hasQuery, filters);

        if (list.Filter is not null)
        {
            try
            {
                sql.Add(new FilterCompiler(resource, sql, countries).Compile(FilterParser.Parse(list.Filter)));
            }
            catch (FilterException ex)
            {
                return new(null, InvalidFilterProblem(ex));
            }
        }

        var count = list.Count switch
        {
            null or "none" => CountMode.None,
            "exact" => CountMode.Exact,
            "estimate" => CountMode.Estimate,
            _ => Error(filters, "count", $"'{list.Count}' is not a count mode. Allowed: none, exact, estimate.", CountMode.None),
        };
        var facets = Facets(resource, list.Facet, filters);
        var shaper = ItemShaper.Create<TItem>(list.Fields, list.Expand, json, countries, filters);

        var fingerprint = Cursor.Fingerprint(resource.CursorScope ?? resource.Name, request.Query.Where(q => !NotFingerprinted.Contains(q.Key)));
        object?[]? after = null;
        if (paging.Cursor is not null)
        {
            if (!Cursor.TryDecode(paging.Cursor, fingerprint, cursorKey, out var values, out var error))
            {
                filters.Error("cursor", error!);
            }
            else if (values.Length != keys.Count)
            {
                filters.Error("cursor", Cursor.NotIssued);
            }
            else
            {
                after = values;
            }
        }
        if (!filters.IsValid)
        {
            return new(null, filters.Problem());
        }
        return new(new ListPlan
        {
            Resource = resource, From = resource.From, Sql = sql, Keys = keys, Fingerprint = fingerprint, CursorKey = cursorKey,
            Limit = limit, After = after, Count = count, Format = format, Facets = facets, Shaper = shaper,
            Search = search,
        }, null);
    }

    /// <summary>
    /// GET /v1/search: the words (or raw query), the kinds, the page size and the cursor position,
    /// with the same limit and cursor rules as every list.
    /// </summary>
    public static PlanOutcome<SearchPlan> PlanSearch(string? q, string? searchMode, string? kind, PageParameters paging, byte[] cursorKey)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(q) || q.Length > FullText.MaxLength)
        {
            errors["q"] = [$"Give 1 to {FullText.MaxLength} characters to search for."];
        }
        else if (searchMode is not (null or "plain" or "raw"))
        {
            errors["searchMode"] = ["Allowed: plain, raw."];
        }
        FullTextQuery? query = null;
        if (!errors.ContainsKey("q") && !errors.ContainsKey("searchMode"))
        {
            query = FullTextQuery.Create(q!, searchMode == "raw", []);
            if (query is null)
            {
                errors["q"] = [FullText.InvalidRawMessage];
            }
        }
        var kinds = kind?.Split(',', StringSplitOptions.TrimEntries) ?? SearchPlan.AllKinds;
        if (kinds.Any(k => !SearchPlan.AllKinds.Contains(k)))
        {
            errors["kind"] = [$"Allowed: {string.Join(", ", SearchPlan.AllKinds)}."];
        }
        if (!PageParameters.TryParseLimit(paging.Limit, out var limit, out var limitError))
        {
            errors["limit"] = [limitError!];
        }
        var fingerprint = Cursor.Fingerprint("search", [new("q", q), new("searchMode", searchMode), new("kind", kind)]);
        object?[]? after = null;
        if (paging.Cursor is not null)
        {
            if (Cursor.TryDecode(paging.Cursor, fingerprint, cursorKey, out var values, out var error) && values is [double or long, string, string])
            {
                after = values;
            }
            else
            {
                errors["cursor"] = [error ?? Cursor.NotIssued];
            }
        }
        if (errors.Count > 0)
        {
            return new(null, Problems.Validation(errors, Problems.InvalidParameter, "One or more query parameters are invalid; see 'errors'."));
        }
        return new(new SearchPlan(query!, kinds, limit, after, fingerprint, cursorKey), null);
    }

    private static T Error<T>(ListFilters filters, string parameter, string message, T fallback)
    {
        filters.Error(parameter, message);
        return fallback;
    }

    public static ValidationProblem InvalidFilterProblem(FilterException ex)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = InvalidFilter,
            ["position"] = ex.Position,
            ["token"] = ex.Token,
        };
        if (ex.Suggestion is not null)
        {
            extensions["didYouMean"] = ex.Suggestion;
        }
        if (ex.Allowed is not null)
        {
            extensions["allowedFields"] = ex.Allowed;
        }
        return TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["filter"] = [$"At position {ex.Position}: {ex.Message}"] },
            detail: $"The filter expression is invalid at position {ex.Position}: {ex.Message}",
            title: "Invalid filter", extensions: extensions);
    }

    /// <summary>format= (json, csv, ndjson) or, without it, the Accept header; an unknown format is an error on <paramref name="filters"/>.</summary>
    public static ListFormat Format(string? format, string? accept, ListFilters filters)
    {
        switch (format)
        {
            case "json":
                return ListFormat.Json;
            case "csv":
                return ListFormat.Csv;
            case "ndjson":
                return ListFormat.Ndjson;
            case null:
                return FromAccept(accept);
            default:
                filters.Error("format", $"'{format}' is not a format. Allowed: json, csv, ndjson.");
                return ListFormat.Json;
        }
    }

    public static ListFormat FromAccept(string? accept) =>
        accept is null ? ListFormat.Json
        : accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? ListFormat.Csv
        : accept.Contains("application/x-ndjson", StringComparison.OrdinalIgnoreCase) ? ListFormat.Ndjson
        : ListFormat.Json;
    private static FullTextQuery? Search(QueryResource resource, ListParameters list, ListFilters filters)
    {
        if (!resource.HasFullText)
        {
            filters.Error("q", $"The {resource.Name} list has no full-text search; use filter= with contains().");
            return null;
        }
        var columns = new List<string>();
        if (list.SearchFields is not null)
        {
            foreach (var name in list.SearchFields.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!resource.SearchFields.Contains(name))
                {
                    var suggestion = FilterCompiler.Suggest(name, resource.SearchFields);
                    filters.Error("searchFields", $"'{name}' is not a searchable field." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?") + $" Allowed: {string.Join(", ", resource.SearchFields)}.");
                }
                else
                {
                    columns.Add(name);
                }
            }
        }
        if (list.Q!.Length > FullText.MaxLength)
        {
            filters.Error("q", $"At most {FullText.MaxLength} characters.");
            return null;
        }
        if (list.SearchMode is not (null or "plain" or "raw"))
        {
            filters.Error("searchMode", $"'{list.SearchMode}' is not a search mode. Allowed: plain, raw.");
            return null;
        }
        if (string.IsNullOrWhiteSpace(list.Q))
        {
            filters.Error("q", "Give at least one word to search for.");
            return null;
        }
        var query = FullTextQuery.Create(list.Q, list.SearchMode == "raw", columns);
        if (query is null)
        {
            filters.Error("q", FullText.InvalidRawMessage);
        }
        return query;
    }

    private static List<SortKey> Sort(QueryResource resource, string? sort, bool hasQuery, ListFilters filters)
    {
        var keys = new List<SortKey>();
        var names = sort is null ? resource.DefaultSort : sort.Split(',', StringSplitOptions.TrimEntries);
        var sortable = resource.Fields.Append(resource.Id).Where(f => f.Sortable).Select(f => f.Name).Distinct(StringComparer.Ordinal).ToList();
        foreach (var item in names)
        {
            var descending = item.StartsWith('-');
            var name = descending || item.StartsWith('+') ? item[1..] : item;
            if (name == "relevance")
            {
                if (!hasQuery)
                {
                    filters.Error("sort", "Sorting by relevance needs q=.");
                    continue;
                }
                keys.Add(new SortKey(name, "fts.fts_rank", descending, false));
                continue;
            }
            var field = resource.Field(name) ?? (sort is null ? resource.OrderFields.FirstOrDefault(f => f.Name == name) : null);
            if (field is null || !field.Sortable)
            {
                var suggestion = FilterCompiler.Suggest(name, sortable);
                filters.Error("sort", $"'{name}' is not a sort field." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?") + $" Allowed: {string.Join(", ", sortable)}" + (hasQuery ? ", relevance." : "."));
                continue;
            }
            if (keys.Any(k => k.Name == name))
            {
                filters.Error("sort", $"'{name}' is given twice.");
                continue;
            }
            keys.Add(new SortKey(name, field.Sql, descending, field.Nullable));
        }
        if (sort is null && hasQuery)
        {
            keys.Insert(0, new SortKey("relevance", "fts.fts_rank", false, false));
        }
        if (!keys.Any(k => k.Name == resource.Id.Name))
        {
            // The id breaks ties in the direction of the last key, so that ORDER BY key DESC, id DESC can
            // walk a (key, id) index backwards instead of sorting.
            keys.Add(new SortKey(resource.Id.Name, resource.Id.Sql, keys.Count > 0 && keys[^1].Descending, false));
        }
        else
        {
            // Nothing after the unique id can change the order.
            keys = keys.Take(keys.FindIndex(k => k.Name == resource.Id.Name) + 1).ToList();
        }
        return keys;
    }

    private static List<(QueryField, string?)> Facets(QueryResource resource, string? facet, ListFilters filters)
    {
        var facets = new List<(QueryField, string?)>();
        if (facet is null)
        {
            return facets;
        }
        var allowed = resource.Fields.Where(f => f.Facetable).Select(f => f.Name).ToList();
        foreach (var item in facet.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? item : item[..colon];
            var bucket = colon < 0 ? null : item[(colon + 1)..];
            var field = resource.Field(name);
            if (field is null || !field.Facetable)
            {
                var suggestion = FilterCompiler.Suggest(name, allowed);
                filters.Error("facet", $"'{name}' cannot be faceted." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?") + $" Allowed: {string.Join(", ", allowed)}.");
                continue;
            }
            if (field.Type == FieldType.Date)
            {
                bucket ??= "year";
                if (bucket is not ("year" or "month"))
                {
                    filters.Error("facet", $"Dates are counted by year or month: {name}:year or {name}:month.");
                    continue;
                }
            }
            else if (bucket is not null)
            {
                filters.Error("facet", $"Only dates take a bucket (':year', ':month'); '{name}' is not a date.");
                continue;
            }
            if (facets.Count >= 10)
            {
                filters.Error("facet", "At most 10 facets.");
                break;
            }
            facets.Add((field, bucket));
        }
        return facets;
    }
}

/// <summary>A validated /v1/search: the words (or raw query), the kinds searched, the page and the cursor position.</summary>
public sealed record SearchPlan(FullTextQuery Query, IReadOnlyList<string> Kinds, int Limit, object?[]? After, string Fingerprint, byte[] CursorKey)
{
    public bool RawSearch => Query.Raw;

    /// <summary>The tables of the kinds searched.</summary>
    public IEnumerable<TextTable> Tables => TextTable.All.Where(t => Kinds.Contains(t.Kind));

    public static readonly string[] AllKinds = ["agreement", "event", "source", "claim"];
}

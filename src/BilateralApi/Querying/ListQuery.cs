using System.Globalization;
using System.Text.Json;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BilateralApi.Querying;

public enum CountMode { None, Exact, Estimate }

public enum ListFormat { Json, Csv, Ndjson }

/// <summary>One sort key: a whitelisted SQL expression and its direction.</summary>
public sealed record SortKey(string Name, string Sql, bool Descending, bool Nullable);

/// <summary>A validated list query: FROM, WHERE and ORDER BY of one SQL statement, and how to shape the answer.</summary>
public sealed class ListPlan
{
    public const int EstimateCap = 10_000;

    public required QueryResource Resource { get; init; }
    public required string From { get; init; }
    public required SqlConditions Sql { get; init; }
    public required IReadOnlyList<SortKey> Keys { get; init; }
    public required string Fingerprint { get; init; }
    public required byte[] CursorKey { get; init; }
    public required int Limit { get; init; }
    public object?[]? After { get; init; }
    public CountMode Count { get; init; }
    public ListFormat Format { get; init; }
    public IReadOnlyList<(QueryField Field, string? Bucket)> Facets { get; init; } = [];
    public ItemShaper Shaper { get; init; } = ItemShaper.None;
    public required QueryBudget Budget { get; init; }

    /// <summary>q= is FTS5 syntax from the client (searchMode=raw), which SQLite may refuse when the statement runs.</summary>
    public bool RawSearch { get; init; }

    /// <summary>The request's allowance of <see cref="Budget"/>: page, count and facets draw on it together.</summary>
    public required QuerySpend Spend { get; init; }

    private string? _where;

    public string Where => _where ??= Sql.Where;

    public string OrderBy => string.Join(", ", Keys.Select(k => $"{k.Sql} {(k.Descending ? "DESC" : "ASC")}{(k.Nullable ? " NULLS LAST" : "")}"));

    /// <summary>Which rows of a nullable first sort key a page statement reads.</summary>
    public enum Part { All, Values, Nulls }

    /// <summary>
    /// The page statement: rows after the keyset position, in order, at most @q_limit (the caller asks for
    /// limit + 1 to know whether there is a next page). The sort keys are selected after the row's columns,
    /// for the next cursor.
    /// <para>
    /// A nullable first key has its NULLs at the end of the order, so "after the cursor" is a range of values
    /// followed by the NULLs, which no single index range covers (an OR of the two makes SQLite walk the
    /// index from its start: page n costs n pages). <see cref="Part.Values"/> reads the values after the
    /// cursor with a range seek, <see cref="Part.Nulls"/> the NULL rows after it; see <see cref="ListQuery.FetchAsync{TRow}"/>.
    /// </para>
    /// </summary>
    public string PageSql(bool after, Part part = Part.All)
    {
        var keys = string.Join(", ", Keys.Select((k, i) => $"{k.Sql} AS q_k{i}"));
        var first = Keys[0];
        var where = (after, part) switch
        {
            (false, Part.All) => Where,
            (true, Part.All) => $"({Where}) AND {Keyset()}",
            (true, Part.Values) => $"({Where}) AND {first.Sql} IS NOT NULL AND {first.Sql} {(first.Descending ? "<=" : ">=")} @q_k0 AND {Keyset()}",
            // After a value every NULL row follows; after a NULL, the keyset orders the NULL rows by the other keys.
            (_, Part.Nulls) => after ? $"({Where}) AND {first.Sql} IS NULL AND {Keyset()}" : $"({Where}) AND {first.Sql} IS NULL",
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
        return $"SELECT {Resource.Columns}, {keys} FROM {From} WHERE {where} ORDER BY {OrderBy} LIMIT @q_limit";
    }

    /// <summary>
    /// Rows strictly after the cursor position in the sort order, for any mix of directions and NULLs
    /// (NULLs sort last in both directions): OR over i of (keys before i equal AND key i after).
    /// A leading range on the first key lets SQLite seek in an index instead of scanning.
    /// </summary>
    private string Keyset()
    {
        var alternatives = new List<string>();
        for (var i = 0; i < Keys.Count; i++)
        {
            var parts = new List<string>();
            for (var j = 0; j < i; j++)
            {
                parts.Add(Keys[j].Nullable ? $"{Keys[j].Sql} IS @q_k{j}" : $"{Keys[j].Sql} = @q_k{j}");
            }
            var key = Keys[i];
            var after = $"{key.Sql} {(key.Descending ? "<" : ">")} @q_k{i}";
            // After a NULL only NULLs follow, and those are equal on this key: nothing is strictly after it.
            parts.Add(key.Nullable ? $"(@q_k{i} IS NOT NULL AND ({after} OR {key.Sql} IS NULL))" : after);
            alternatives.Add("(" + string.Join(" AND ", parts) + ")");
        }
        var first = Keys[0];
        var seek = first.Nullable ? "" : $"{first.Sql} {(first.Descending ? "<=" : ">=")} @q_k0 AND ";
        return $"({seek}({string.Join(" OR ", alternatives)}))";
    }

    public DynamicParameters Parameters(object?[]? after, int take)
    {
        var parameters = new DynamicParameters(Sql.Parameters);
        parameters.Add("q_limit", take);
        for (var i = 0; after is not null && i < after.Length; i++)
        {
            parameters.Add("q_k" + i.ToString(CultureInfo.InvariantCulture), after[i]);
        }
        return parameters;
    }

    public string CountSql => Count == CountMode.Estimate
        ? $"SELECT COUNT(*) FROM (SELECT 1 FROM {From} WHERE {Where} LIMIT {EstimateCap + 1})"
        : $"SELECT COUNT(*) FROM {From} WHERE {Where}";

    public string FacetSql(QueryField field, string? bucket)
    {
        var value = bucket switch
        {
            "year" => $"substr({field.Sql}, 1, 4)",
            "month" => $"substr({field.Sql}, 1, 7)",
            _ => field.Sql,
        };
        return field.Related is { } related
            ? $"SELECT {value} AS Value, COUNT(DISTINCT {Resource.Id.Sql}) AS Count FROM {From} JOIN {related.Table} ON {related.Link} WHERE {Where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100"
            : $"SELECT {value} AS Value, COUNT(*) AS Count FROM {From} WHERE {Where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100";
    }
}

/// <summary>
/// The query language (docs/querying.md) for every list: takes the slice's per-field filters and field map,
/// adds filter=, q=, sort=, cursors, counts, facets, sparse fields, expansion and export, and runs one
/// statement per page (plus one for a requested count).
/// </summary>
public static class ListQuery
{
    public const string InvalidFilter = "invalidFilter";

    /// <summary>The part of every list's description that explains the shared query language.</summary>
    public const string Description = "filter= expressions, q= full-text search (where the list has text), sort=, fields=, expand=, facet=, count= and streamed export with format=csv|ndjson work as in docs/querying.md. HEAD answers the same headers without a body. A query over its time budget is stopped: 503 queryTimeout with Retry-After. An export spends the bulk rate budget, and beyond the exports the server streams at once it is refused before any row: 503 exportsBusy with Retry-After.";
    private static readonly string[] NotFingerprinted = ["cursor", "limit", "fields", "expand", "count", "facet", "format"];

    public static async Task<Results<ListResult<TItem>, ValidationProblem, ProblemHttpResult>> RunAsync<TRow, TItem>(
        HttpContext http, QueryResource resource, ListFilters filters, ListParameters list, PageParameters paging,
        Func<TRow, TItem> map, Func<SqliteConnection, IReadOnlyList<TRow>, CancellationToken, Task>? loadChildren, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var plan = await PlanAsync<TItem>(http, resource, filters, list, paging, json, cancellationToken);
        if (plan.Problem is { } problem)
        {
            return problem;
        }
        if (plan.Invalid is { } invalid)
        {
            return invalid;
        }
        var p = plan.Plan!;
        var connections = services.GetRequiredService<SqliteConnectionFactory>();
        if (p.Format != ListFormat.Json)
        {
            return new ListResult<TItem>(p, json, null, Export(connections, p, json, map, loadChildren, cancellationToken));
        }
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var (rows, keys) = await FetchAsync<TRow>(connection, p, p.Spend, p.After, p.Limit + 1, cancellationToken);
            var pageRows = rows.Take(p.Limit).ToList();
            if (loadChildren is not null)
            {
                await loadChildren(connection, pageRows, cancellationToken);
            }
            var items = pageRows.Select(map).ToList();
            var shaped = await p.Shaper.ShapeAsync(connection, items, json, cancellationToken);
            string? nextCursor = rows.Count > p.Limit ? Cursor.Encode(keys[p.Limit - 1], p.Fingerprint, p.CursorKey) : null;
            var (total, truncated) = await CountAsync(connection, p, rows.Count, cancellationToken);
            var facets = await FacetsAsync(connection, p, cancellationToken);
            var page = new ListPageData(shaped, p.Limit, nextCursor, total, truncated, facets);
            return new ListResult<TItem>(p, json, page, null);
        }
        catch (QueryTimeoutException)
        {
            return p.Budget.TimeoutProblem(http);
        }
        catch (SqliteException ex) when (p.RawSearch && FullText.IsSyntaxError(ex))
        {
            return FullText.InvalidRawSyntax();
        }
    }

    private sealed record Planned(ListPlan? Plan, ValidationProblem? Invalid, ProblemHttpResult? Problem);

    private static async Task<Planned> PlanAsync<TItem>(HttpContext http, QueryResource resource, ListFilters filters, ListParameters list, PageParameters paging, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var countries = services.GetRequiredService<CountryCatalog>();
        var sql = filters.Sql;

        if (!PageParameters.TryParseLimit(paging.Limit, out var limit, out var limitError))
        {
            filters.Error("limit", limitError!);
        }

        FieldParameters.Apply(http, resource, filters, countries);
        var format = Format(http, list.Format, filters);
        var from = resource.From;
        var hasQuery = false;
        if (list.Q is not null)
        {
            hasQuery = true;
            from = Search(resource, list, filters, sql, from);
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
                return new Planned(null, InvalidFilterProblem(ex), null);
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

        var fingerprint = Cursor.Fingerprint(resource.CursorScope ?? resource.Name, http.Request.Query
            .Where(q => !NotFingerprinted.Contains(q.Key))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString())));
        var key = await services.GetRequiredService<CursorKeys>().GetAsync(cancellationToken);
        object?[]? after = null;
        if (paging.Cursor is not null)
        {
            if (!Cursor.TryDecode(paging.Cursor, fingerprint, key, out var values, out var error))
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
            return new Planned(null, filters.Problem(), null);
        }
        var budget = services.GetRequiredService<QueryBudget>();
        return new Planned(new ListPlan
        {
            Resource = resource, From = from, Sql = sql, Keys = keys, Fingerprint = fingerprint, CursorKey = key,
            Limit = limit, After = after, Count = count, Format = format, Facets = facets, Shaper = shaper,
            Budget = budget, Spend = budget.Begin(), RawSearch = list.Q is not null && list.SearchMode == "raw",
        }, null, null);
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
    public static ListFormat Format(HttpContext http, string? format, ListFilters filters)
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
                return FromAccept(http.Request);
            default:
                filters.Error("format", $"'{format}' is not a format. Allowed: json, csv, ndjson.");
                return ListFormat.Json;
        }
    }

    /// <summary>
    /// Whether a list request asks for a CSV or NDJSON export (format=, else Accept), read before the
    /// request is validated: the rate limiter charges exports to the bulk budget (decision 0023).
    /// </summary>
    public static bool AsksForExport(HttpRequest request) =>
        !HttpMethods.IsHead(request.Method)
        && (request.Query.TryGetValue("format", out var format) ? format.ToString() is "csv" or "ndjson" : FromAccept(request) != ListFormat.Json);

    private static ListFormat FromAccept(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? ListFormat.Csv
            : accept.Contains("application/x-ndjson", StringComparison.OrdinalIgnoreCase) ? ListFormat.Ndjson
            : ListFormat.Json;
    }

    private static string Search(QueryResource resource, ListParameters list, ListFilters filters, SqlConditions sql, string from)
    {
        if (!resource.HasFullText)
        {
            filters.Error("q", $"The {resource.Name} list has no full-text search; use filter= with contains().");
            return from;
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
        string? match = null;
        if (list.Q!.Length > FullText.MaxLength)
        {
            filters.Error("q", $"At most {FullText.MaxLength} characters.");
        }
        else
        {
            switch (list.SearchMode)
            {
                case null or "plain":
                    match = FullText.Escape(list.Q);
                    break;
                case "raw":
                    match = string.IsNullOrWhiteSpace(list.Q) ? null : list.Q;
                    break;
                default:
                    filters.Error("searchMode", $"'{list.SearchMode}' is not a search mode. Allowed: plain, raw.");
                    return from;
            }
            if (match is null)
            {
                filters.Error("q", "Give at least one word to search for.");
            }
        }
        if (match is null)
        {
            return from;
        }
        var parameter = sql.Param(FullText.Scope(match, columns));
        return $"{from} {resource.FullTextJoin(parameter)}";
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

    /// <summary>
    /// Runs the page statement; returns the rows and, for each, the values of its sort keys. After a cursor
    /// on a nullable first sort key the page is read in its parts (<see cref="ListPlan.PageSql"/>): after a
    /// value, the values after it, and only when they run out before the page is full (once per walk) a
    /// second statement for the NULL rows; after a NULL, the NULL rows after it. Every other page is one
    /// statement, and each part is one index range, so a deep page costs what page 1 costs.
    /// </summary>
    public static async Task<(List<TRow> Rows, List<object?[]> Keys)> FetchAsync<TRow>(SqliteConnection connection, ListPlan plan, QuerySpend spend, object?[]? after, int take, CancellationToken cancellationToken)
    {
        if (after is null || !plan.Keys[0].Nullable)
        {
            return await FetchPartAsync<TRow>(connection, plan, spend, plan.PageSql(after is not null), after, take, cancellationToken);
        }
        if (after[0] is null)
        {
            return await FetchPartAsync<TRow>(connection, plan, spend, plan.PageSql(true, ListPlan.Part.Nulls), after, take, cancellationToken);
        }
        var page = await FetchPartAsync<TRow>(connection, plan, spend, plan.PageSql(true, ListPlan.Part.Values), after, take, cancellationToken);
        if (page.Rows.Count < take)
        {
            var nulls = await FetchPartAsync<TRow>(connection, plan, spend, plan.PageSql(false, ListPlan.Part.Nulls), null, take - page.Rows.Count, cancellationToken);
            page.Rows.AddRange(nulls.Rows);
            page.Keys.AddRange(nulls.Keys);
        }
        return page;
    }

    private static Task<(List<TRow> Rows, List<object?[]> Keys)> FetchPartAsync<TRow>(SqliteConnection connection, ListPlan plan, QuerySpend spend, string sql, object?[]? after, int take, CancellationToken cancellationToken) =>
        spend.Run(connection, async () =>
        {
            var rows = new List<TRow>();
            var keys = new List<object?[]>();
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, plan.Parameters(after, take), cancellationToken: cancellationToken));
            var keyCount = plan.Keys.Count;
            var rowColumns = reader.FieldCount - keyCount;
            var parser = reader.GetRowParser<TRow>(typeof(TRow), 0, rowColumns);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(parser(reader));
                var values = new object?[keyCount];
                for (var i = 0; i < keyCount; i++)
                {
                    values[i] = reader.IsDBNull(rowColumns + i) ? null : reader.GetValue(rowColumns + i);
                }
                keys.Add(values);
            }
            return (rows, keys);
        }, cancellationToken);

    /// <summary>
    /// The count of <c>count=</c>. An exact count gets at most half the budget (and never more than the
    /// request has left); stopped, it falls back to the bounded count on what is left, and when even that
    /// is spent, to the rows this page read (<paramref name="seen"/>): always a flagged lower bound.
    /// </summary>
    private static async Task<(long? Total, bool Truncated)> CountAsync(SqliteConnection connection, ListPlan plan, int seen, CancellationToken cancellationToken)
    {
        if (plan.Count == CountMode.None)
        {
            return (null, false);
        }
        try
        {
            var total = await plan.Spend.Run(connection, () =>
                connection.ExecuteScalarAsync<long>(new CommandDefinition(plan.CountSql, plan.Parameters(null, 0), cancellationToken: cancellationToken)), cancellationToken, plan.Budget.Limit / 2);
            return plan.Count == CountMode.Estimate && total > ListPlan.EstimateCap ? (ListPlan.EstimateCap, true) : (total, false);
        }
        catch (QueryTimeoutException) when (plan.Count == CountMode.Exact)
        {
            // Counting everything would take too long: say so and give what a bounded count finds.
            var bounded = new ListPlan
            {
                Resource = plan.Resource, From = plan.From, Sql = plan.Sql, Keys = plan.Keys, Fingerprint = plan.Fingerprint,
                CursorKey = plan.CursorKey, Limit = plan.Limit, Count = CountMode.Estimate, Budget = plan.Budget, Spend = plan.Spend,
            };
            try
            {
                var lowerBound = await plan.Spend.Run(connection, () =>
                    connection.ExecuteScalarAsync<long>(new CommandDefinition(bounded.CountSql, bounded.Parameters(null, 0), cancellationToken: cancellationToken)), cancellationToken);
                return (Math.Min(lowerBound, ListPlan.EstimateCap), true);
            }
            catch (QueryTimeoutException)
            {
                return (seen, true);
            }
        }
    }

    private static async Task<Dictionary<string, List<FacetCount>>?> FacetsAsync(SqliteConnection connection, ListPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Facets.Count == 0)
        {
            return null;
        }
        var result = new Dictionary<string, List<FacetCount>>(StringComparer.Ordinal);
        foreach (var (field, bucket) in plan.Facets)
        {
            var rows = await plan.Spend.Run(connection, async () =>
                (await connection.QueryAsync<(object? Value, long Count)>(new CommandDefinition(plan.FacetSql(field, bucket), plan.Parameters(null, 0), cancellationToken: cancellationToken))).AsList(), cancellationToken);
            result[bucket is null ? field.Name : $"{field.Name}:{bucket}"] = rows.Select(r => new FacetCount(FacetValue(field, bucket, r.Value), r.Count)).ToList();
        }
        return result;
    }

    private static object? FacetValue(QueryField field, string? bucket, object? value) => (field.Type, value) switch
    {
        (_, null or DBNull) => null,
        (FieldType.Boolean, long flag) => flag != 0,
        (FieldType.Money, long cents) when bucket is null => cents / 100m,
        _ => value,
    };

    /// <summary>Every matching row, in order, read in keyset batches of 500 (constant memory; the same guarantees as walking the pages).</summary>
    private static async IAsyncEnumerable<IReadOnlyList<byte[]>> Export<TRow, TItem>(
        SqliteConnectionFactory connections, ListPlan plan, JsonSerializerOptions json, Func<TRow, TItem> map,
        Func<SqliteConnection, IReadOnlyList<TRow>, CancellationToken, Task>? loadChildren,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 500;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var after = plan.After;
        while (true)
        {
            // Each batch is a request of its own to the budget: an export is bounded by the export gate and the bulk budget instead.
            var (rows, keys) = await FetchAsync<TRow>(connection, plan, plan.Budget.Begin(), after, batch, cancellationToken);
            if (loadChildren is not null)
            {
                await loadChildren(connection, rows, cancellationToken);
            }
            yield return await plan.Shaper.ShapeUtf8Async(connection, rows.Select(map).ToList(), json, cancellationToken);
            if (rows.Count < batch)
            {
                yield break;
            }
            after = keys[^1];
        }
    }
}

[System.ComponentModel.Description("How many rows of the filtered set have this value (dates: this year or month).")]
public sealed record FacetCount(object? Value, long Count);

/// <summary>One page, ready to write.</summary>
public sealed record ListPageData(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Items, int Limit, string? NextCursor, long? Total, bool TotalTruncated, Dictionary<string, List<FacetCount>>? Facets);

using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using BilateralApi.Claims;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Dyads;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Postgres;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Querying;
using BilateralApi.Sources;
using BilateralApi.TradeRecords;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>
/// The list executor on each store, without HTTP: a plan from <see cref="ListPlanner"/> over the sources list,
/// run by the store's <see cref="IListExecutor"/>; the same answers on both.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreListTests
{
    private static readonly byte[] Key = new byte[32];

    private static readonly JsonSerializerOptions Json = JsonDefaults.Options;

    /// <summary>id, published_on, title, notes.</summary>
    private static readonly (string Id, string? Published, string Title, string? Notes)[] Sources =
    [
        ("src-a", "2021-05-01", "Oil pipeline agreement", null),
        ("src-b", null, "Gas deliveries", "oil mentioned in the notes"),
        ("src-c", "2019-01-01", "Oil oil oil", null),
        ("src-d", null, "Embassy opening in Tel Aviv", null),
        ("src-e", "2021-05-01", "Pipelines and railways", "about gas"),
        ("src-f", "2023-11-30", "Trade in Azerbaijani crude", "Crude exports; O'Brien's note"),
        ("src-g", null, "Oilfield services", null),
    ];

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite, "publishedOn")]
    [InlineData(StoreKind.Sqlite, "-publishedOn")]
    [InlineData(StoreKind.Postgres, "publishedOn")]
    [InlineData(StoreKind.Postgres, "-publishedOn")]
    public async Task A_cursor_walk_over_a_nullable_sort_key_returns_every_row_once_in_order_with_nulls_last(StoreKind kind, string sort)
    {
        await using var store = await SeededAsync(kind);
        var executor = Executor(store);
        var descending = sort.StartsWith('-');
        var expected = Sources.Where(s => s.Published is not null)
            .OrderBy(s => s.Published, descending ? Comparer<string?>.Create((a, b) => string.CompareOrdinal(b, a)) : StringComparer.Ordinal)
            .ThenBy(s => s.Id, descending ? Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a)) : StringComparer.Ordinal)
            .Concat(Sources.Where(s => s.Published is null).OrderBy(s => s.Id, descending ? Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a)) : StringComparer.Ordinal))
            .Select(s => s.Id).ToList();

        foreach (var limit in new[] { 1, 2, 3 })
        {
            Assert.Equal(expected, await WalkAsync(executor, new ListParameters { Sort = sort }, limit));
        }
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Filters_facets_and_counts_read_the_same_on_both_stores(StoreKind kind)
    {
        await using var store = await SeededAsync(kind);
        var executor = Executor(store);

        var page = await executor.PageAsync(Plan(new ListParameters { Facet = "publishedOn:year,type,licence", Count = "exact", Filter = "publishedOn ne '2019' and type in ('report', 'news')" }), SourceEndpoints.Listing.Rows, Json, CancellationToken.None);
        Assert.Equal(6, page.Total);
        Assert.False(page.TotalTruncated);
        Assert.Equal([(null, 3L), ("2021", 2L), ("2023", 1L)], page.Facets!["publishedOn:year"].Select(f => (f.Value, f.Count)));
        Assert.Equal([("news", 3L), ("report", 3L)], page.Facets["type"].Select(f => (f.Value, f.Count)));
        Assert.Equal([(null, 6L)], page.Facets["licence"].Select(f => (f.Value, f.Count)));

        var estimate = await executor.PageAsync(Plan(new ListParameters { Count = "estimate", Filter = "contains(title, 'OIL') or startswith(id, 'SRC-F')" }), SourceEndpoints.Listing.Rows, Json, CancellationToken.None);
        // contains() and startswith() fold ASCII case, as SQLite's LIKE does.
        Assert.Equal(["src-a", "src-c", "src-f", "src-g"], estimate.Items.Select(i => (string)i["id"]!));
        Assert.Equal(4, estimate.Total);

        var nullable = await executor.PageAsync(Plan(new ListParameters { Filter = "publishedOn eq null or title eq 'Oil oil oil'", Sort = "-id" }), SourceEndpoints.Listing.Rows, Json, CancellationToken.None);
        Assert.Equal(["src-g", "src-d", "src-c", "src-b"], nullable.Items.Select(i => (string)i["id"]!));
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Full_text_search_matches_plain_words_raw_syntax_and_search_fields_alike(StoreKind kind)
    {
        await using var store = await SeededAsync(kind);
        var executor = Executor(store);

        async Task<List<string>> Ids(ListParameters list) =>
            [.. (await executor.PageAsync(Plan(list), SourceEndpoints.Listing.Rows, Json, CancellationToken.None)).Items.Select(i => (string)i["id"]!)];

        // Plain words: each matched literally (a quote is no syntax), all must occur; diacritics and case ignored.
        Assert.Equal(["src-a", "src-b", "src-c"], (await Ids(new() { Q = "oil", Sort = "id" })));
        Assert.Equal(["src-f"], await Ids(new() { Q = "O'Brien's AZERBAIJANI", Sort = "id" }));
        Assert.Equal(["src-f"], await Ids(new() { Q = "azerbaijani crudé", Sort = "id" }));
        Assert.Empty(await Ids(new() { Q = "oil AND NOT" }));
        // Relevance (the default order with q=): the title that is all "oil" first.
        Assert.Equal("src-c", (await Ids(new() { Q = "oil" }))[0]);

        // Raw: OR, NOT, prefix, phrases, parentheses.
        Assert.Equal(["src-a", "src-b", "src-c", "src-e", "src-g"], await Ids(new() { Q = "oil* OR pipeline*", SearchMode = "raw", Sort = "id" }));
        Assert.Equal(["src-a", "src-c"], await Ids(new() { Q = "oil NOT gas", SearchMode = "raw", Sort = "id" }));
        Assert.Equal(["src-a"], await Ids(new() { Q = "\"oil pipeline\" AND (agreement OR deal)", SearchMode = "raw", Sort = "id" }));
        // Phrases side by side bind tighter than NOT: pipeline* NOT (gas railways), not (pipeline* NOT gas) AND railways.
        Assert.Equal(["src-a"], await Ids(new() { Q = "pipeline* NOT gas railways", SearchMode = "raw", Sort = "id" }));

        // searchFields: only those columns.
        Assert.Equal(["src-a", "src-c"], await Ids(new() { Q = "oil", SearchFields = "title", Sort = "id" }));
        Assert.Equal(["src-b"], await Ids(new() { Q = "oil", SearchFields = "notes", Sort = "id" }));
        Assert.Equal(["src-b"], await Ids(new() { Q = "oil NOT pipeline", SearchMode = "raw", SearchFields = "notes", Sort = "id" }));

        // A walk in relevance order visits every match once.
        var seen = await WalkAsync(executor, new ListParameters { Q = "oil* OR gas", SearchMode = "raw" }, 2);
        Assert.Equal(["src-a", "src-b", "src-c", "src-e", "src-g"], seen.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("oil AND")]
    [InlineData("\"unclosed")]
    [InlineData("oil (pipeline)")]
    [InlineData("oil AND NOT gas")]
    [InlineData("NEAR(oil gas)")]
    [InlineData("title:oil")]
    [InlineData("(oil")]
    public void A_raw_query_outside_the_syntax_every_store_takes_is_refused_by_the_planner(string q)
    {
        var countries = new CountryCatalog();
        var list = new ListParameters { Q = q, SearchMode = "raw" };
        var request = new ListRequest(list, new PageParameters(), [new("q", q), new("searchMode", "raw")], null);
        var planned = ListPlanner.Plan<SourceResponse>(request, SourceSql.Query, new ListFilters(countries, new CodeListCatalog()), countries, Json, Key);
        Assert.Equal([FullText.InvalidRawMessage], planned.Problem!.ProblemDetails.Errors["q"]);

        var search = ListPlanner.PlanSearch(q, "raw", null, new PageParameters(), Key);
        Assert.Equal([FullText.InvalidRawMessage], search.Problem!.ProblemDetails.Errors["q"]);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task The_search_across_kinds_ranks_lower_first_and_pages_by_rank_kind_and_id(StoreKind kind)
    {
        await using var store = await SeededAsync(kind);
        var executor = Executor(store);

        var first = await executor.SearchAsync(SearchPlan("oil", null, null), CancellationToken.None);
        Assert.Equal("src-c", first[0].Id);
        Assert.All(first, r => Assert.Equal("source", r.Kind));
        Assert.Equal(first.Select(r => r.Rank).Order(), first.Select(r => r.Rank));
        Assert.Contains("[", first[0].Snippet, StringComparison.Ordinal);

        var all = new List<string>();
        object?[]? after = null;
        while (true)
        {
            var rows = await executor.SearchAsync(SearchPlan("oil* OR gas", "raw", after, limit: 2), CancellationToken.None);
            all.AddRange(rows.Take(2).Select(r => r.Id));
            if (rows.Count <= 2)
            {
                break;
            }
            after = [rows[1].Rank, rows[1].Kind, rows[1].Id];
        }
        Assert.Equal(["src-a", "src-b", "src-c", "src-e", "src-g"], all.Order(StringComparer.Ordinal));
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_statement_over_its_share_of_the_budget_is_stopped_and_the_connection_serves_the_next(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var connection = await store.Instance().OpenAsync(CancellationToken.None);
        var stop = Stop(kind);
        const string forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c";
        var spend = new QueryBudget(TimeSpan.FromSeconds(30), TimeProvider.System).Begin();

        var started = TimeProvider.System.GetTimestamp();
        await Assert.ThrowsAsync<QueryTimeoutException>(() => spend.Run(stop, connection, () => connection.ExecuteScalarAsync<long>(forever), CancellationToken.None, TimeSpan.FromMilliseconds(300)));
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        // The cap (an exact count's half of the budget), not the budget, stopped it.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT 1"));
        Assert.Equal(5, await spend.Run(stop, connection, () => connection.ExecuteScalarAsync<long>("SELECT 5"), CancellationToken.None));

        // What the request has left is the next statement's whole allowance.
        var small = new QueryBudget(TimeSpan.FromMilliseconds(300), TimeProvider.System).Begin();
        await Assert.ThrowsAsync<QueryTimeoutException>(() => small.Run(stop, connection, () => connection.ExecuteScalarAsync<long>(forever), CancellationToken.None));
        await Assert.ThrowsAsync<QueryTimeoutException>(() => small.Run(stop, connection, () => connection.ExecuteScalarAsync<long>(forever), CancellationToken.None));
        if (kind == StoreKind.Postgres)
        {
            // The time-out is the statement's only: the pooled connection goes back without it.
            Assert.Equal("0", await connection.ExecuteScalarAsync<string>("SHOW statement_timeout"));
        }
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_page_over_the_budget_is_a_query_timeout(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var executor = Executor(store, new QueryBudget(TimeSpan.FromMilliseconds(300), TimeProvider.System));
        // Rows no index orders: the page must read them all before its first.
        var endless = SourceSql.Query with
        {
            From = "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 'x' || x AS id, 'report' AS type, NULL AS author, NULL AS publisher, NULL AS title, NULL AS url, NULL AS published_on, NULL AS retrieved_on, 'high' AS reliability, NULL AS licence, NULL AS notes, '' AS created_at, '' AS updated_at, 1 AS version FROM c) source",
        };
        var plan = Plan(new ListParameters(), resource: endless);

        await Assert.ThrowsAsync<QueryTimeoutException>(() => executor.PageAsync(plan, SourceEndpoints.Listing.Rows, Json, CancellationToken.None));
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task First_and_deep_pages_of_the_advertised_trade_orders_read_an_index_in_order_without_sorting(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var connection = await store.Instance().OpenAsync(CancellationToken.None);
        if (kind == StoreKind.Postgres)
        {
            // Whatever the table's size: a plan that still sorts has no index to read the order from.
            await connection.ExecuteAsync("SET enable_sort = off");
        }
        var cases = new (string? Filter, string? Sort, object?[] After)[]
        {
            (null, "-valueUsd", [500_000L, 100L]),
            (null, "valueUsd", [500_000L, 100L]),
            ("flow eq 'M'", "-valueUsd", [500_000L, 100L]),
            ("sourceId eq 's'", null, [100L]),
            ("year eq 2005", null, [100L]),
            (null, "year", [2000L, 5L]),
            (null, "-hs", ["0101", 5L]),
            ("flow eq 'X'", null, [100L]),
        };
        var failures = new List<string>();
        foreach (var (filter, sort, after) in cases)
        {
            var plan = Plan(new ListParameters { Filter = filter, Sort = sort }, resource: TradeRecordSql.Query);
            var statements = new ListStatements(plan);
            var parts = plan.Keys[0].Nullable ? new[] { ListStatements.Part.Values, ListStatements.Part.Nulls } : [ListStatements.Part.All];
            foreach (var part in parts)
            {
                foreach (var position in new[] { null, after })
                {
                    var sql = statements.Page(position, part);
                    var plans = kind == StoreKind.Sqlite
                        ? (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>($"EXPLAIN QUERY PLAN {sql}", statements.Parameters(position, 51))).Select(r => r.Detail).ToList()
                        : (await connection.QueryAsync<string>($"EXPLAIN {sql}", statements.Parameters(position, 51))).ToList();
                    if (plans.Any(p => p.Contains(kind == StoreKind.Sqlite ? "TEMP B-TREE" : "Sort", StringComparison.Ordinal)))
                    {
                        failures.Add($"{filter} sort={sort} {part} after={position is not null}: {string.Join(" / ", plans)}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task The_lists_own_parameters_run_on_both_stores(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var executor = Executor(store);
        var countries = new CountryCatalog();
        var codes = new CodeListCatalog();
        await using (var connection = await store.Instance().OpenAsync(CancellationToken.None))
        {
            await countries.LoadAsync(connection, CancellationToken.None);
            await codes.LoadAsync(connection, CancellationToken.None);
        }

        async Task<ListPageData> RunAsync<TQuery, TRow, TItem>(ListDefinition<TQuery, TRow, TItem> list, TQuery query, ListParameters? parameters = null)
            where TQuery : new()
        {
            var filters = new ListFilters(countries, codes);
            list.Filters(query, filters);
            var request = new ListRequest(parameters ?? new ListParameters { Count = "exact" }, new PageParameters(), [], list.DeclaredNames);
            var planned = ListPlanner.Plan<TItem>(request, list.Resource, filters, countries, Json, Key);
            Assert.Null(planned.Problem);
            return await executor.PageAsync(planned.Plan!, list.Rows, Json, CancellationToken.None);
        }

        // HS prefixes over a claim's optional code, countries on either side, a pair.
        Assert.Equal(0, (await RunAsync(ClaimEndpoints.Listing, new ClaimListQuery { Hs = "27,TOTAL", Country = "AZE,ISR", Pair = "AZE,ISR", Reporter = "AZE" })).Total);
        Assert.Equal(0, (await RunAsync(EventEndpoints.Listing, new EventListQuery { Country = "AZE", Pair = "AZE,ISR", Date = "2020..2021" })).Total);

        // The timeline: a union of agreement milestones and events, searched in two tables' text at once.
        var timeline = new ListFilters(countries, codes);
        timeline.CodesExist("subject", "energy,education", DyadSql.TimelineSubject, "subject");
        timeline.Sql.Parameters.Add("a", "AZE");
        timeline.Sql.Parameters.Add("b", "ISR");
        foreach (var list in new[] { new ListParameters { Q = "embassy", SearchFields = "title,place" }, new ListParameters { Q = "embass* NOT oil", SearchMode = "raw", Count = "exact", Facet = "kind" } })
        {
            var query = new List<KeyValuePair<string, string?>> { new("q", list.Q), new("searchMode", list.SearchMode), new("searchFields", list.SearchFields) };
            var planned = ListPlanner.Plan<TimelineItem>(new ListRequest(list, new PageParameters(), query, null), DyadSql.TimelineQuery, timeline, countries, Json, Key);
            Assert.True(planned.Problem is null, string.Join("; ", planned.Problem?.ProblemDetails.Errors.SelectMany(e => e.Value) ?? []));
            Assert.Empty((await executor.PageAsync(planned.Plan!, new ListRows<TimelineRow, TimelineItem>(r => r.ToItem()), Json, CancellationToken.None)).Items);
        }

        // The reference data is in both stores: the same answer as a plain count.
        var commodities = await RunAsync(CommodityEndpoints.Listing, new CommodityListQuery { Level = "chapter,heading", Hs = "27,93" });
        await using var check = await store.Instance().OpenAsync(CancellationToken.None);
        var expected = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM commodity WHERE level IN ('chapter', 'heading') AND (code LIKE '27%' OR code LIKE '93%')");
        Assert.True(expected > 0);
        Assert.Equal(expected, commodities.Total);
    }

    /// <summary>The ids of every page of a cursor walk, in order.</summary>
    private static async Task<List<string>> WalkAsync(IListExecutor executor, ListParameters list, int limit)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await executor.PageAsync(Plan(list, limit.ToString(CultureInfo.InvariantCulture), cursor), SourceEndpoints.Listing.Rows, Json, CancellationToken.None);
            seen.AddRange(page.Items.Select(i => (string)i["id"]!));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return seen;
    }

    private static IStatementStop Stop(StoreKind kind) => kind == StoreKind.Sqlite ? SqliteStatementStop.Instance : PostgresStatementStop.Instance;

    private static IListExecutor Executor(TestStore store, QueryBudget? budget = null)
    {
        budget ??= new QueryBudget(TimeSpan.FromSeconds(30), TimeProvider.System);
        var connections = store.Instance();
        return connections is SqliteConnectionFactory sqlite ? new SqliteListExecutor(sqlite, budget) : new PostgresListExecutor(new ReadConnections(connections), budget);
    }

    private static ListPlan Plan(ListParameters list, string? limit = null, string? cursor = null, QueryResource? resource = null)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("filter", list.Filter), new("q", list.Q), new("searchMode", list.SearchMode), new("searchFields", list.SearchFields), new("sort", list.Sort),
        };
        var countries = new CountryCatalog();
        var filters = new ListFilters(countries, new CodeListCatalog());
        var request = new ListRequest(list, new PageParameters { Limit = limit, Cursor = cursor }, query, null);
        var outcome = ListPlanner.Plan<object>(request, resource ?? SourceSql.Query, filters, countries, Json, Key);
        Assert.Null(outcome.Problem);
        return outcome.Plan!;
    }

    private static SearchPlan SearchPlan(string q, string? mode, object?[]? after, int limit = 50)
    {
        var cursor = after is null ? null : Cursor.Encode(after, Cursor.Fingerprint("search", [new("q", q), new("searchMode", mode), new("kind", null)]), Key);
        var outcome = ListPlanner.PlanSearch(q, mode, null, new PageParameters { Limit = limit.ToString(CultureInfo.InvariantCulture), Cursor = cursor }, Key);
        Assert.Null(outcome.Problem);
        return outcome.Plan!;
    }

    private static async Task<TestStore> SeededAsync(StoreKind kind)
    {
        var store = await TestStore.CreateAsync(kind);
        await using var scope = await store.Instance().BeginWriteAsync(CancellationToken.None);
        foreach (var (source, i) in Sources.Select((s, i) => (s, i)))
        {
            await scope.Connection.ExecuteAsync(
                "INSERT INTO source (id, type, title, notes, published_on, reliability, created_at, updated_at, version) VALUES (@id, @type, @title, @notes, @published, 'high', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)",
                new { id = source.Id, type = i % 3 == 0 ? "news" : "report", title = source.Title, notes = source.Notes, published = source.Published }, scope.Transaction);
        }
        await scope.CommitAsync(CancellationToken.None);
        return store;
    }
}

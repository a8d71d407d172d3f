using System.Data.Common;
using System.Text.Json;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// The list executor of every store: the page, count and facet statements of <see cref="ListStatements"/>,
/// the keyset fetch loop and the export's batches, inside the query time budget. A store supplies its
/// connections, how it stops a statement on time, its full-text join and /v1/search statement, and which
/// of its errors mean a raw search it cannot parse.
/// </summary>
public abstract class StoreListExecutor(QueryBudget budget) : IListExecutor
{
    protected QueryBudget Budget { get; } = budget;

    protected abstract IStatementStop Stop { get; }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The statements of <paramref name="plan"/> with the store's full-text join when it has q=.</summary>
    protected abstract ListStatements Statements(ListPlan plan);

    /// <summary>A page of /v1/search: best rank first (lower is better), then kind and id; after a cursor, strictly after its (rank, kind, id).</summary>
    protected abstract CommandDefinition Search(SearchPlan plan, CancellationToken cancellationToken);

    /// <summary>Whether the store refused a raw q= as syntax (the planner checked it: a store stricter than that syntax).</summary>
    protected abstract bool IsRawSyntaxError(DbException exception);

    public async Task<ListPageData> PageAsync<TRow, TItem>(ListPlan plan, ListRows<TRow, TItem> rows, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        try
        {
            var statements = Statements(plan);
            await using var connection = await OpenAsync(cancellationToken);
            // Page, count and facets draw on one allowance of the budget together.
            var spend = Budget.Begin();
            var (read, keys) = await FetchAsync<TRow>(connection, statements, spend, plan.After, plan.Limit + 1, cancellationToken);
            var pageRows = read.Take(plan.Limit).ToList();
            if (rows.LoadChildren is not null)
            {
                await rows.LoadChildren(connection, pageRows, cancellationToken);
            }
            var items = pageRows.Select(rows.Map).ToList();
            var shaped = await plan.Shaper.ShapeAsync(connection, items, json, cancellationToken);
            var nextCursor = read.Count > plan.Limit ? Cursor.Encode(keys[plan.Limit - 1], plan.Fingerprint, plan.CursorKey) : null;
            var (total, truncated) = await CountAsync(connection, statements, spend, read.Count, cancellationToken);
            var facets = await FacetsAsync(connection, statements, spend, cancellationToken);
            return new ListPageData(shaped, plan.Limit, nextCursor, total, truncated, facets);
        }
        catch (DbException ex) when (plan.RawSearch && IsRawSyntaxError(ex))
        {
            throw new InvalidRawSearchException(ex);
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<byte[]>> ExportAsync<TRow, TItem>(ListPlan plan, ListRows<TRow, TItem> rows, JsonSerializerOptions json,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 500;
        var statements = Statements(plan);
        await using var connection = await OpenAsync(cancellationToken);
        var after = plan.After;
        while (true)
        {
            IReadOnlyList<byte[]> shaped;
            List<object?[]> keys;
            try
            {
                // Each batch is a request of its own to the budget: an export is bounded by the export gate and the bulk budget instead.
                (var read, keys) = await FetchAsync<TRow>(connection, statements, Budget.Begin(), after, batch, cancellationToken);
                if (rows.LoadChildren is not null)
                {
                    await rows.LoadChildren(connection, read, cancellationToken);
                }
                shaped = await plan.Shaper.ShapeUtf8Async(connection, read.Select(rows.Map).ToList(), json, cancellationToken);
            }
            catch (DbException ex) when (plan.RawSearch && IsRawSyntaxError(ex))
            {
                throw new InvalidRawSearchException(ex);
            }
            yield return shaped;
            if (keys.Count < batch)
            {
                yield break;
            }
            after = keys[^1];
        }
    }

    public async Task<IReadOnlyList<SearchRow>> SearchAsync(SearchPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            var command = Search(plan, cancellationToken);
            await using var connection = await OpenAsync(cancellationToken);
            return await Budget.Begin().Run(Stop, connection, async () => (await connection.QueryAsync<SearchRow>(command)).AsList(), cancellationToken);
        }
        catch (DbException ex) when (plan.RawSearch && IsRawSyntaxError(ex))
        {
            throw new InvalidRawSearchException(ex);
        }
    }

    /// <summary>
    /// Runs the page statement; returns the rows and, for each, the values of its sort keys. On a nullable
    /// first sort key the page is read in its parts (<see cref="ListStatements.Page"/>): from the start or after
    /// a value, the values (after it), and only when they run out before the page is full (once per walk) a
    /// second statement for the NULL rows; after a NULL, the NULL rows after it. Every other page is one
    /// statement, and each part is one index range, so a deep page costs what page 1 costs.
    /// </summary>
    private async Task<(List<TRow> Rows, List<object?[]> Keys)> FetchAsync<TRow>(DbConnection connection, ListStatements statements, QuerySpend spend, object?[]? after, int take, CancellationToken cancellationToken)
    {
        if (!statements.Plan.Keys[0].Nullable)
        {
            return await FetchPartAsync<TRow>(connection, statements, spend, ListStatements.Part.All, after, take, cancellationToken);
        }
        if (after is not null && after[0] is null)
        {
            return await FetchPartAsync<TRow>(connection, statements, spend, ListStatements.Part.Nulls, after, take, cancellationToken);
        }
        var page = await FetchPartAsync<TRow>(connection, statements, spend, ListStatements.Part.Values, after, take, cancellationToken);
        if (page.Rows.Count < take)
        {
            var nulls = await FetchPartAsync<TRow>(connection, statements, spend, ListStatements.Part.Nulls, null, take - page.Rows.Count, cancellationToken);
            page.Rows.AddRange(nulls.Rows);
            page.Keys.AddRange(nulls.Keys);
        }
        return page;
    }

    private Task<(List<TRow> Rows, List<object?[]> Keys)> FetchPartAsync<TRow>(DbConnection connection, ListStatements statements, QuerySpend spend, ListStatements.Part part, object?[]? after, int take, CancellationToken cancellationToken) =>
        spend.Run(Stop, connection, async () =>
        {
            var rows = new List<TRow>();
            var keys = new List<object?[]>();
            var command = new CommandDefinition(statements.Page(after, part), statements.Parameters(after, take), cancellationToken: cancellationToken);
            await using var reader = await connection.ExecuteReaderAsync(command);
            var keyCount = statements.Plan.Keys.Count;
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
    private async Task<(long? Total, bool Truncated)> CountAsync(DbConnection connection, ListStatements statements, QuerySpend spend, int seen, CancellationToken cancellationToken)
    {
        var mode = statements.Plan.Count;
        if (mode == CountMode.None)
        {
            return (null, false);
        }
        var parameters = statements.Parameters(null, 0);
        try
        {
            var total = await spend.Run(Stop, connection, () =>
                connection.ExecuteScalarAsync<long>(new CommandDefinition(statements.Count(mode), parameters, cancellationToken: cancellationToken)), cancellationToken, Budget.Limit / 2);
            return mode == CountMode.Estimate && total > ListPlan.EstimateCap ? (ListPlan.EstimateCap, true) : (total, false);
        }
        catch (QueryTimeoutException) when (mode == CountMode.Exact)
        {
            // Counting everything would take too long: say so and give what a bounded count finds.
            try
            {
                var lowerBound = await spend.Run(Stop, connection, () =>
                    connection.ExecuteScalarAsync<long>(new CommandDefinition(statements.Count(CountMode.Estimate), parameters, cancellationToken: cancellationToken)), cancellationToken);
                return (Math.Min(lowerBound, ListPlan.EstimateCap), true);
            }
            catch (QueryTimeoutException)
            {
                return (seen, true);
            }
        }
    }

    private async Task<Dictionary<string, List<FacetCount>>?> FacetsAsync(DbConnection connection, ListStatements statements, QuerySpend spend, CancellationToken cancellationToken)
    {
        if (statements.Plan.Facets.Count == 0)
        {
            return null;
        }
        var result = new Dictionary<string, List<FacetCount>>(StringComparer.Ordinal);
        foreach (var (field, bucket) in statements.Plan.Facets)
        {
            var rows = await spend.Run(Stop, connection, async () =>
                (await connection.QueryAsync<(object? Value, long Count)>(new CommandDefinition(statements.Facet(field, bucket), statements.Parameters(null, 0), cancellationToken: cancellationToken))).AsList(), cancellationToken);
            result[bucket is null ? field.Name : $"{field.Name}:{bucket}"] = rows.Select(r => new FacetCount(FacetValue(field, bucket, r.Value), r.Count)).ToList();
        }
        return result;
    }

    /// <summary>Both stores keep booleans as 0/1 and money as whole cents: a facet answers them as the items do.</summary>
    private static object? FacetValue(QueryField field, string? bucket, object? value) => (field.Type, value) switch
    {
        (_, null or DBNull) => null,
        (FieldType.Boolean, long flag) => flag != 0,
        (FieldType.Money, long cents) when bucket is null => cents / 100m,
        _ => value,
    };
}

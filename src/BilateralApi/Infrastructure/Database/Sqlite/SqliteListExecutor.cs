using System.Text.Json;
using BilateralApi.Querying;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>The list executor on SQLite: statements from <see cref="SqliteListSql"/>, time budget by SQLite's progress handler (<see cref="QuerySpend"/>).</summary>
public sealed class SqliteListExecutor(SqliteConnectionFactory connections, QueryBudget budget) : IListExecutor
{
    public async Task<ListPageData> PageAsync<TRow, TItem>(ListPlan plan, ListRows<TRow, TItem> rows, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            // Page, count and facets draw on one allowance of the budget together.
            var spend = budget.Begin();
            var (read, keys) = await FetchAsync<TRow>(connection, plan, spend, plan.After, plan.Limit + 1, cancellationToken);
            var pageRows = read.Take(plan.Limit).ToList();
            if (rows.LoadChildren is not null)
            {
                await rows.LoadChildren(connection, pageRows, cancellationToken);
            }
            var items = pageRows.Select(rows.Map).ToList();
            var shaped = await plan.Shaper.ShapeAsync(connection, items, json, cancellationToken);
            var nextCursor = read.Count > plan.Limit ? Cursor.Encode(keys[plan.Limit - 1], plan.Fingerprint, plan.CursorKey) : null;
            var (total, truncated) = await CountAsync(connection, plan, spend, read.Count, cancellationToken);
            var facets = await FacetsAsync(connection, plan, spend, cancellationToken);
            return new ListPageData(shaped, plan.Limit, nextCursor, total, truncated, facets);
        }
        catch (SqliteException ex) when (plan.RawSearch && FullText.IsSyntaxError(ex))
        {
            throw new InvalidRawSearchException(ex);
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<byte[]>> ExportAsync<TRow, TItem>(ListPlan plan, ListRows<TRow, TItem> rows, JsonSerializerOptions json,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 500;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var after = plan.After;
        while (true)
        {
            IReadOnlyList<byte[]> shaped;
            List<object?[]> keys;
            try
            {
                // Each batch is a request of its own to the budget: an export is bounded by the export gate and the bulk budget instead.
                (var read, keys) = await FetchAsync<TRow>(connection, plan, budget.Begin(), after, batch, cancellationToken);
                if (rows.LoadChildren is not null)
                {
                    await rows.LoadChildren(connection, read, cancellationToken);
                }
                shaped = await plan.Shaper.ShapeUtf8Async(connection, read.Select(rows.Map).ToList(), json, cancellationToken);
            }
            catch (SqliteException ex) when (plan.RawSearch && FullText.IsSyntaxError(ex))
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
            await using var connection = await connections.OpenAsync(cancellationToken);
            return await budget.Begin().Run(connection, async () =>
                (await connection.QueryAsync<SearchRow>(SqliteListSql.Search(plan, cancellationToken))).AsList(), cancellationToken);
        }
        catch (SqliteException ex) when (plan.RawSearch && FullText.IsSyntaxError(ex))
        {
            throw new InvalidRawSearchException(ex);
        }
    }

    /// <summary>
    /// Runs the page statement; returns the rows and, for each, the values of its sort keys. After a cursor
    /// on a nullable first sort key the page is read in its parts (<see cref="SqliteListSql.Page"/>): after a
    /// value, the values after it, and only when they run out before the page is full (once per walk) a
    /// second statement for the NULL rows; after a NULL, the NULL rows after it. Every other page is one
    /// statement, and each part is one index range, so a deep page costs what page 1 costs.
    /// </summary>
    private static async Task<(List<TRow> Rows, List<object?[]> Keys)> FetchAsync<TRow>(SqliteConnection connection, ListPlan plan, QuerySpend spend, object?[]? after, int take, CancellationToken cancellationToken)
    {
        if (after is null || !plan.Keys[0].Nullable)
        {
            return await FetchPartAsync<TRow>(connection, plan, spend, SqliteListSql.Page(plan, after is not null), after, take, cancellationToken);
        }
        if (after[0] is null)
        {
            return await FetchPartAsync<TRow>(connection, plan, spend, SqliteListSql.Page(plan, true, SqliteListSql.Part.Nulls), after, take, cancellationToken);
        }
        var page = await FetchPartAsync<TRow>(connection, plan, spend, SqliteListSql.Page(plan, true, SqliteListSql.Part.Values), after, take, cancellationToken);
        if (page.Rows.Count < take)
        {
            var nulls = await FetchPartAsync<TRow>(connection, plan, spend, SqliteListSql.Page(plan, false, SqliteListSql.Part.Nulls), null, take - page.Rows.Count, cancellationToken);
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
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, SqliteListSql.Parameters(plan, after, take), cancellationToken: cancellationToken));
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
    private async Task<(long? Total, bool Truncated)> CountAsync(SqliteConnection connection, ListPlan plan, QuerySpend spend, int seen, CancellationToken cancellationToken)
    {
        if (plan.Count == CountMode.None)
        {
            return (null, false);
        }
        try
        {
            var total = await spend.Run(connection, () =>
                connection.ExecuteScalarAsync<long>(new CommandDefinition(SqliteListSql.Count(plan, plan.Count), SqliteListSql.Parameters(plan, null, 0), cancellationToken: cancellationToken)), cancellationToken, budget.Limit / 2);
            return plan.Count == CountMode.Estimate && total > ListPlan.EstimateCap ? (ListPlan.EstimateCap, true) : (total, false);
        }
        catch (QueryTimeoutException) when (plan.Count == CountMode.Exact)
        {
            // Counting everything would take too long: say so and give what a bounded count finds.
            try
            {
                var lowerBound = await spend.Run(connection, () =>
                    connection.ExecuteScalarAsync<long>(new CommandDefinition(SqliteListSql.Count(plan, CountMode.Estimate), SqliteListSql.Parameters(plan, null, 0), cancellationToken: cancellationToken)), cancellationToken);
                return (Math.Min(lowerBound, ListPlan.EstimateCap), true);
            }
            catch (QueryTimeoutException)
            {
                return (seen, true);
            }
        }
    }

    private static async Task<Dictionary<string, List<FacetCount>>?> FacetsAsync(SqliteConnection connection, ListPlan plan, QuerySpend spend, CancellationToken cancellationToken)
    {
        if (plan.Facets.Count == 0)
        {
            return null;
        }
        var result = new Dictionary<string, List<FacetCount>>(StringComparer.Ordinal);
        foreach (var (field, bucket) in plan.Facets)
        {
            var rows = await spend.Run(connection, async () =>
                (await connection.QueryAsync<(object? Value, long Count)>(new CommandDefinition(SqliteListSql.Facet(plan, field, bucket), SqliteListSql.Parameters(plan, null, 0), cancellationToken: cancellationToken))).AsList(), cancellationToken);
            result[bucket is null ? field.Name : $"{field.Name}:{bucket}"] = rows.Select(r => new FacetCount(FacetValue(field, bucket, r.Value), r.Count)).ToList();
        }
        return result;
    }

    /// <summary>SQLite stores booleans as 0/1 and money as whole cents: a facet answers them as the items do.</summary>
    private static object? FacetValue(QueryField field, string? bucket, object? value) => (field.Type, value) switch
    {
        (_, null or DBNull) => null,
        (FieldType.Boolean, long flag) => flag != 0,
        (FieldType.Money, long cents) when bucket is null => cents / 100m,
        _ => value,
    };
}

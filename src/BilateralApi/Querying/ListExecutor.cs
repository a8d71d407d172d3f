using System.Data.Common;
using System.Text.Json;

namespace BilateralApi.Querying;

/// <summary>How a list turns its rows into items: the row mapping and, for rows with child rows, one batched load of them per page.</summary>
public sealed record ListRows<TRow, TItem>(Func<TRow, TItem> Map, Func<DbConnection, IReadOnlyList<TRow>, CancellationToken, Task>? LoadChildren = null);

/// <summary>
/// Runs a <see cref="ListPlan"/> (or a <see cref="SearchPlan"/>) on the store: writes its statements in the
/// store's dialect and reads the rows, inside the query time budget. Every page is one statement (plus
/// one for a requested count, one per facet); an export reads keyset batches of the same statement.
/// Stopped by the budget: <see cref="QueryTimeoutException"/>; a raw search the store cannot parse:
/// <see cref="InvalidRawSearchException"/>.
/// </summary>
public interface IListExecutor
{
    Task<ListPageData> PageAsync<TRow, TItem>(ListPlan plan, ListRows<TRow, TItem> rows, JsonSerializerOptions json, CancellationToken cancellationToken);

    /// <summary>Every matching row after the plan's cursor, in order, shaped as UTF-8 JSON items, a batch at a time (constant memory).</summary>
    IAsyncEnumerable<IReadOnlyList<byte[]>> ExportAsync<TRow, TItem>(ListPlan plan, ListRows<TRow, TItem> rows, JsonSerializerOptions json, CancellationToken cancellationToken);

    Task<IReadOnlyList<SearchRow>> SearchAsync(SearchPlan plan, CancellationToken cancellationToken);
}

/// <summary>A row of /v1/search as the store ranks it (lower rank is better).</summary>
public sealed class SearchRow
{
    public string Kind { get; set; } = "";
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Snippet { get; set; }
    public double Rank { get; set; }
}

/// <summary>The store refused q= of searchMode=raw as syntax: the client's error, answered 400.</summary>
public sealed class InvalidRawSearchException(Exception inner) : Exception("The raw search expression is not valid syntax.", inner);

[System.ComponentModel.Description("How many rows of the filtered set have this value (dates: this year or month).")]
public sealed record FacetCount(object? Value, long Count);

/// <summary>One page, ready to write.</summary>
public sealed record ListPageData(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Items, int Limit, string? NextCursor, long? Total, bool TotalTruncated, Dictionary<string, List<FacetCount>>? Facets);

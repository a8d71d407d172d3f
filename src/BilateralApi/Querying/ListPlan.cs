namespace BilateralApi.Querying;

public enum CountMode { None, Exact, Estimate }

public enum ListFormat { Json, Csv, Ndjson }

/// <summary>One sort key: a whitelisted SQL expression and its direction.</summary>
public sealed record SortKey(string Name, string Sql, bool Descending, bool Nullable);

/// <summary>
/// A validated list query, as <see cref="ListPlanner"/> makes it from the parameters: what to read (FROM and
/// the compiled WHERE with its parameter values), in which order (the sort keys), from where (the cursor
/// position), how much (limit, count, facets) and how to shape each item. Its conditions and sort keys are
/// SQL fragments of the field maps, but it holds no statement: the store's executor (<see cref="IListExecutor"/>)
/// writes the page, count and facet statements from it in its dialect.
/// </summary>
public sealed class ListPlan
{
    /// <summary>count=estimate counts exactly up to here, then answers a flagged lower bound.</summary>
    public const int EstimateCap = 10_000;

    public required QueryResource Resource { get; init; }
    public required string From { get; init; }
    public required SqlConditions Sql { get; init; }
    public required IReadOnlyList<SortKey> Keys { get; init; }
    public required string Fingerprint { get; init; }
    public required byte[] CursorKey { get; init; }
    public required int Limit { get; init; }

    /// <summary>The sort-key values of the row the cursor points after (null: the first page).</summary>
    public object?[]? After { get; init; }

    public CountMode Count { get; init; }
    public ListFormat Format { get; init; }
    public IReadOnlyList<(QueryField Field, string? Bucket)> Facets { get; init; } = [];
    public ItemShaper Shaper { get; init; } = ItemShaper.None;

    /// <summary>q= with its mode and fields (null: none): the store joins its matches as fts, ranked by fts.fts_rank.</summary>
    public FullTextQuery? Search { get; init; }

    /// <summary>q= is query syntax from the client (searchMode=raw), which the store may refuse when it writes or runs the statement.</summary>
    public bool RawSearch => Search?.Raw == true;

    private string? _where;

    public string Where => _where ??= Sql.Where;
}

using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Import;

namespace BilateralApi.TradeRecords;

/// <summary>
/// The store's half of a bulk trade import: one write transaction (the store's write lock, so one import or
/// write at a time per database), the rows written in file order, which import wrote which version
/// (decisions 0029, 0037) and the commit. Reading, parsing, checking and counting are the store-neutral
/// <see cref="TradeRecordImporter"/>'s. SQLite writes row by row with prepared statements
/// (<c>SqliteTradeImportStore</c>); PostgreSQL copies batches into a staging table
/// (<c>PostgresTradeImportStore</c>, decision 0046). One implementation is registered per store.
/// </summary>
public interface ITradeImportStore
{
    /// <summary>Opens the import's write transaction. <paramref name="bodyBytes"/> is the file's size when known (a large load may prepare for it).</summary>
    Task<ITradeImportWriter> BeginAsync(ImportMode mode, string now, long? bodyBytes, CancellationToken cancellationToken);
}

/// <summary>One import's write transaction. Disposing it without <see cref="CommitAsync"/> rolls everything back.</summary>
public interface ITradeImportWriter : IAsyncDisposable
{
    /// <summary>The import's transaction, for reads that must see the import's own state (the source ids it checks against).</summary>
    IWriteScope Scope { get; }

    /// <summary>
    /// Rows this writer would rather be given at once (more cost the store nothing per row but memory); the importer
    /// hands over at most this many, in file order.
    /// </summary>
    int BatchRows { get; }

    /// <summary>
    /// Writes <paramref name="rows"/> in order, each as if alone and after the ones before it (a key listed twice
    /// meets its first row), and records the version each stored row now has as written by this import. Returns
    /// one outcome per row, in order.
    /// </summary>
    ValueTask<IReadOnlyList<TradeRowWritten>> WriteAsync(IReadOnlyList<TradeRecordRow> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Completes the import's change-log entry (when it stored anything: otherwise there is none) and commits.
    /// Returns the entry's seq, or null when nothing was stored.
    /// </summary>
    Task<long?> CommitAsync(ImportReport report, ImportOptions options, string format, CancellationToken cancellationToken);
}

/// <summary>What a row's write did, and the id of the stored row it wrote or met (null when there is none).</summary>
public readonly record struct TradeRowWritten(ImportOutcome Outcome, long? Id);

/// <summary>What writing one imported row did.</summary>
public enum ImportOutcome
{
    Inserted,
    Updated,
    Unchanged,
    Skipped,

    /// <summary>insert mode: a stored row has the natural key (the row is rejected).</summary>
    Clash,
}

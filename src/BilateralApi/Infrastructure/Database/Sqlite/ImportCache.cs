using BilateralApi.Infrastructure.Database;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// A larger SQLite page cache for the import's connection while the import runs, given back when it
/// ends. An import updates the table and its indexes (a large load only the natural-key index,
/// decision 0031) at keys spread all over them; with the default 2 MB cache most of those pages are read
/// back from the OS on every row. A large load's index rebuild sets a small cache again for its sorts
/// (TradeIndexRebuild.SortCacheKiB, decision 0037). The setting touches only memory use: journal mode and
/// synchronous stay as they are, so committed data is as durable as ever. The connection goes back to its
/// pool with the cache it had, so the pool does not keep import-sized caches.
/// </summary>
public sealed class ImportCache : IAsyncDisposable
{
    /// <summary>Pages kept in memory during an import, in KiB (negative = KiB in SQLite's pragma): 64 MB, whatever the file size.</summary>
    public const int CacheKiB = 64 * 1024;

    private readonly WriteScope _scope;
    private readonly long _previous;

    private ImportCache(WriteScope scope, long previous) => (_scope, _previous) = (scope, previous);

    public static async Task<ImportCache> EnlargeAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        await using var command = scope.Connection.CreateCommand();
        command.Transaction = scope.Transaction;
        command.CommandText = "PRAGMA cache_size";
        var previous = await command.ExecuteScalarAsync(cancellationToken) is long size ? size : -2000;
        command.CommandText = $"PRAGMA cache_size = -{CacheKiB}";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ImportCache(scope, previous);
    }

    /// <summary>
    /// Ends the transaction if the import has not committed it (rolls back, as disposing the scope would),
    /// then restores the connection's cache size, which frees the extra pages. Shrinking the cache first
    /// would make SQLite spill the uncommitted pages only to throw them away.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_scope.Transaction.Connection is not null)
            {
                await _scope.Transaction.RollbackAsync();
            }
            await using var command = _scope.Connection.CreateCommand();
            command.CommandText = $"PRAGMA cache_size = {_previous}; PRAGMA shrink_memory;";
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            // The connection is broken (that is usually why the import stopped): never hide the import's own
            // error behind this one; drop the pooled connections instead of returning one with an import-sized cache.
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(_scope.Connection);
        }
    }
}

using System.Data;
using System.Data.Common;
using Npgsql;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>
/// Connections to one PostgreSQL database: one <see cref="NpgsqlDataSource"/> (Npgsql's pool) per process, so
/// a singleton. Write transactions run at READ COMMITTED and first take the database's write lock
/// (<see cref="WriteLockKey"/>, a transaction-level advisory lock), the counterpart of SQLite's BEGIN IMMEDIATE:
/// writers, from any instance, take turns, and each statement after the lock sees every write committed
/// before it (decision 0038). Reads take no lock.
/// </summary>
public sealed class PostgresConnections(string connectionString, int writeLockTimeoutMilliseconds = PostgresConnections.WriteLockTimeoutMilliseconds)
    : IStoreConnections, IAsyncDisposable
{
    /// <summary>
    /// The advisory lock key of writes ("BilatWri" in ASCII), held until the transaction ends. Advisory locks
    /// are per database, and this key differs from <see cref="PostgresMigrator.LockKey"/>.
    /// </summary>
    public const long WriteLockKey = 0x42696C6174577269;

    /// <summary>
    /// How long a writer waits for the write lock before the server refuses it (SQLSTATE 55P03 lock_not_available):
    /// as long as a SQLite writer waits, whose driver retries SQLITE_BUSY up to the command timeout of 30 s.
    /// </summary>
    public const int WriteLockTimeoutMilliseconds = 30_000;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public async Task<PostgresWriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            // lock_timeout bounds the wait for the write lock as SQLite's busy timeout does; SET LOCAL ends with the transaction.
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(FormattableString.Invariant($"SET LOCAL lock_timeout = {writeLockTimeoutMilliseconds}")),
                    new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { new NpgsqlParameter { Value = WriteLockKey } } },
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return new PostgresWriteScope(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    async Task<DbConnection> IStoreConnections.OpenAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    async Task<IWriteScope> IStoreConnections.BeginWriteAsync(CancellationToken cancellationToken) => await BeginWriteAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

/// <summary>A PostgreSQL connection with an open write transaction holding the write lock; disposing without commit rolls back.</summary>
public sealed class PostgresWriteScope(NpgsqlConnection connection, NpgsqlTransaction transaction)
    : StoreWriteScope<NpgsqlConnection, NpgsqlTransaction>(connection, transaction);

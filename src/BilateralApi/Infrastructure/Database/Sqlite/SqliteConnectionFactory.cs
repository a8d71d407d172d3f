using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// Opens pooled connections to the one database file. A singleton: the pool lives in
/// Microsoft.Data.Sqlite, so each operation opens (takes from the pool) and disposes (returns) one.
/// </summary>
public sealed class SqliteConnectionFactory(IOptions<DatabaseOptions> options) : IStoreConnections
{
    private readonly string _connectionString = SqliteDialect.ConnectionString(options.Value.FullPath);

    public string DatabasePath => options.Value.FullPath;

    /// <summary>
    /// The physical connections (SQLite handles) that already have <see cref="SqliteDialect.ConnectionPragmas"/>.
    /// The settings live as long as the handle, and the pool hands the same handle out again, so they are set
    /// once per physical connection instead of three statements on every open (every request).
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqliteDialect.ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Configured.AddOrUpdate(handle, Configured);
        }
        return connection;
    }

    async Task<DbConnection> IStoreConnections.OpenAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    async Task<IWriteScope> IStoreConnections.BeginWriteAsync(CancellationToken cancellationToken) => await BeginWriteAsync(cancellationToken);

    /// <summary>
    /// Opens a connection and starts a write transaction with BEGIN IMMEDIATE, so a writer takes the
    /// write lock up front (waiting up to busy_timeout) instead of failing with SQLITE_BUSY when a
    /// read transaction tries to upgrade.
    /// </summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            return new WriteScope(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A SQLite connection with an open write transaction (BEGIN IMMEDIATE); disposing without commit rolls back.</summary>
public sealed class WriteScope(SqliteConnection connection, SqliteTransaction transaction)
    : StoreWriteScope<SqliteConnection, SqliteTransaction>(connection, transaction);

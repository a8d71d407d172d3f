using System.Data;
using System.Data.Common;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Database.Postgres;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>The stores a test body runs on (a theory's parameter).</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One migrated, empty database of either store. <see cref="Instance"/> is a new connection factory on it, with a
/// pool of its own: what a second API process on the same database has. PostgreSQL databases come from
/// <see cref="PostgresTestServer"/> (skipped, or failed in CI, without a server); SQLite's from an <see cref="ApiFactory"/>.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly ApiFactory? _sqlite;
    private readonly PostgresTestDatabase? _postgres;
    private readonly List<PostgresConnections> _instances = [];

    private TestStore(ApiFactory? sqlite, PostgresTestDatabase? postgres)
    {
        _sqlite = sqlite;
        _postgres = postgres;
    }

    public static async Task<TestStore> CreateAsync(StoreKind kind)
    {
        if (kind == StoreKind.Sqlite)
        {
            var factory = new ApiFactory();
            _ = factory.Services; // starts the app: the file is created and migrated
            return new TestStore(factory, null);
        }
        var database = await PostgresTestServer.CreateDatabaseAsync();
        try
        {
            await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return new TestStore(null, database);
    }

    /// <summary>A connection factory of its own on this database, as another instance of the API would have.</summary>
    public IStoreConnections Instance()
    {
        if (_sqlite is not null)
        {
            return new SqliteConnectionFactory(Options.Create(new DatabaseOptions { Path = _sqlite.DatabasePath }));
        }
        var instance = new PostgresConnections(_postgres!.ConnectionString);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>
    /// The store's own error for a writer refused the write lock: while one instance holds it, another that waits only
    /// briefly gives up (SQLite: SQLITE_BUSY after its busy timeout; PostgreSQL: 55P03 after lock_timeout).
    /// </summary>
    public async Task<Exception> RefusedWriteAsync()
    {
        await using var holder = await Instance().BeginWriteAsync(CancellationToken.None);
        // Off this thread: SQLite's driver waits for its lock synchronously, even in the async call.
        return await Assert.ThrowsAnyAsync<DbException>(() => Task.Run(async () =>
        {
            if (_sqlite is not null)
            {
                var impatient = new SqliteConnectionStringBuilder(SqliteDialect.ConnectionString(_sqlite.DatabasePath)) { DefaultTimeout = 1 };
                await using var connection = new SqliteConnection(impatient.ToString());
                await connection.OpenAsync();
                await connection.ExecuteAsync("PRAGMA busy_timeout = 100");
                await using var _ = await connection.BeginTransactionAsync(IsolationLevel.Serializable);
            }
            else
            {
                await using var impatient = new PostgresConnections(_postgres!.ConnectionString, writeLockTimeoutMilliseconds: 300);
                await using var _ = await impatient.BeginWriteAsync(CancellationToken.None);
            }
        }).WaitAsync(TimeSpan.FromSeconds(20)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

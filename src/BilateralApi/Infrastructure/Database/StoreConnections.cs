using System.Data.Common;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// The store-neutral way to the database (decision 0038): connections and write transactions as ADO.NET's
/// <see cref="DbConnection"/> and <see cref="DbTransaction"/>, which Dapper runs on either store. Code whose
/// statements read the same in SQLite and PostgreSQL takes this; code that needs a driver's own API (bulk
/// import's prepared commands, the SQLite list executor) keeps its store's factory.
/// </summary>
public interface IStoreConnections
{
    /// <summary>An open pooled connection; dispose it to return it to the pool.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A write transaction holding the store's write lock: one writer at a time per database, across every
    /// instance, so a read-check-write in it cannot lose an update and change-log seqs commit in order.
    /// </summary>
    Task<IWriteScope> BeginWriteAsync(CancellationToken cancellationToken);
}

/// <summary>A connection with an open write transaction; disposing without <see cref="CommitAsync"/> rolls back.</summary>
public interface IWriteScope : IAsyncDisposable
{
    DbConnection Connection { get; }

    DbTransaction Transaction { get; }

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>A store's write scope: its driver's connection and transaction, typed, and the store-neutral view of them.</summary>
public abstract class StoreWriteScope<TConnection, TTransaction>(TConnection connection, TTransaction transaction) : IWriteScope
    where TConnection : DbConnection
    where TTransaction : DbTransaction
{
    public TConnection Connection { get; } = connection;

    public TTransaction Transaction { get; } = transaction;

    DbConnection IWriteScope.Connection => Connection;

    DbTransaction IWriteScope.Transaction => Transaction;

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Where reads that need not see the caller's own write go (lists, analytics, exports): a read replica when one is
/// configured (<c>--read-db</c>, PostgreSQL), else the primary. Anything that must see its own write, and every
/// write, uses <see cref="IStoreConnections"/>.
/// </summary>
public interface IReadConnections
{
    /// <summary>An open pooled connection for reading; dispose it to return it to the pool.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>Reads through a store's connections (the primary's, or a replica's).</summary>
public sealed class ReadConnections(IStoreConnections connections) : IReadConnections
{
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => connections.OpenAsync(cancellationToken);
}

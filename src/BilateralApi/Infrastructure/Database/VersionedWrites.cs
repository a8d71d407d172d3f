using BilateralApi.Infrastructure.Http;
using Dapper;

namespace BilateralApi.Infrastructure.Database;

/// <summary>A stored row the shared write flow versions: its id, its version (the ETag), when it was first created, and its write shape.</summary>
public interface IWritableRow<out TWrite> : IVersionedRow
{
    string Id { get; }

    new long Version { get; set; }

    string CreatedAt { get; set; }

    /// <summary>The row in its write shape, for "does this replacement change anything" (decision 0018).</summary>
    TWrite ToWrite();
}

/// <summary>
/// What one curated table gives <see cref="VersionedWrites"/>: its statements and columns, none of the
/// protocol (preconditions, versions, the change log, transactions). The repository of each curated
/// resource implements it once; <see cref="VersionedTables"/> gives it the write methods.
/// </summary>
public interface IVersionedTable<TRow, TWrite> where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId
{
    /// <summary>The flow the table writes through.</summary>
    VersionedWrites Writes { get; }

    /// <summary>The resource name in the change log (its path segment).</summary>
    string Resource { get; }

    /// <summary>SELECT EXISTS of a row by @id.</summary>
    string IdExistsSql { get; }

    /// <summary>The version of a row by @id (no row: none).</summary>
    string VersionOfSql { get; }

    /// <summary>The text an id is derived from when the client chose none.</summary>
    string SlugSource(TWrite write);

    /// <summary>The row a write stores, stamped <paramref name="now"/> (created and updated).</summary>
    TRow Build(string id, TWrite write, string now);

    /// <summary>The row as served, recorded in the change log.</summary>
    object Representation(TRow row);

    /// <summary>The current row with everything <see cref="IWritableRow{TWrite}.ToWrite"/> reads (child rows, citations), or null.</summary>
    Task<TRow?> CurrentAsync(IWriteScope scope, string id, CancellationToken cancellationToken);

    /// <summary>Stores the row and its child rows (a new row when <paramref name="created"/>, else a replacement); returns the row as stored.</summary>
    Task<TRow> SaveAsync(IWriteScope scope, TRow row, bool created, CancellationToken cancellationToken);

    /// <summary>Whether other records still point at the row, which stops its deletion.</summary>
    Task<bool> InUseAsync(IWriteScope scope, string id, CancellationToken cancellationToken);

    /// <summary>Removes the row and everything it owns.</summary>
    Task RemoveAsync(IWriteScope scope, string id, CancellationToken cancellationToken);
}

/// <summary>The write methods of every curated repository: the flow's, for its table.</summary>
public static class VersionedTables
{
    /// <summary>POST: inserts with the given id, or one derived from the record's text; an existing id is a conflict.</summary>
    public static Task<WriteResult<TRow>> CreateAsync<TRow, TWrite>(this IVersionedTable<TRow, TWrite> table, TWrite write, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId =>
        table.Writes.CreateAsync(table, write, cancellationToken);

    /// <summary>PUT: creates the record or replaces it, subject to the request's preconditions.</summary>
    public static Task<WriteResult<TRow>> PutAsync<TRow, TWrite>(this IVersionedTable<TRow, TWrite> table, string id, TWrite write,
        Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId =>
        table.Writes.PutAsync(table, id, write, precondition, cancellationToken);

    /// <summary>The PUT logic inside a caller's transaction (the seed loader and bundle imports).</summary>
    public static Task<WriteResult<TRow>> PutAsync<TRow, TWrite>(this IVersionedTable<TRow, TWrite> table, IWriteScope scope, string id, TWrite write,
        Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId =>
        table.Writes.PutAsync(scope, table, id, write, precondition, cancellationToken);

    /// <summary>DELETE: subject to the request's preconditions; refused while other records point at the record.</summary>
    public static Task<WriteResult<TRow>> DeleteAsync<TRow, TWrite>(this IVersionedTable<TRow, TWrite> table, string id,
        Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId =>
        table.Writes.DeleteAsync(table, id, precondition, cancellationToken);
}

/// <summary>
/// The one write protocol of the curated records (decision 0032): create, create-or-replace and delete in
/// a write transaction, the request's precondition (If-Match / If-None-Match) checked against the current
/// version, a replacement that changes nothing stored as nothing (decision 0018), the version raised by one
/// on every change and, for a record created under a used id, continued after its tombstone (versions and
/// ETags never repeat, decision 0024), and exactly one change-log entry per change in the same transaction.
/// </summary>
public sealed class VersionedWrites(IStoreConnections connections, ChangeLog changes, TimeProvider time)
{
    /// <summary>POST: inserts with the given id, or one derived from the record's text; an existing id is a conflict.</summary>
    public async Task<WriteResult<TRow>> CreateAsync<TRow, TWrite>(IVersionedTable<TRow, TWrite> table, TWrite write, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var chosen = write.Id;
        if (chosen is not null && await ExistsAsync(scope, table, chosen, cancellationToken))
        {
            return new(WriteStatus.AlreadyExists);
        }
        var id = chosen ?? await Slugs.UniqueAsync(Slugs.From(table.SlugSource(write)), candidate => ExistsAsync(scope, table, candidate, cancellationToken));
        var stored = await InsertAsync(scope, table, table.Build(id, write, Clock.Now(time)), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new(WriteStatus.Created, stored);
    }

    /// <summary>PUT: creates the record or replaces it, subject to the request's preconditions.</summary>
    public async Task<WriteResult<TRow>> PutAsync<TRow, TWrite>(IVersionedTable<TRow, TWrite> table, string id, TWrite write,
        Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var result = await PutAsync(scope, table, id, write, precondition, cancellationToken);
        if (result.Status is WriteStatus.Created or WriteStatus.Updated)
        {
            await scope.CommitAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>The PUT protocol inside a caller's transaction (the seed loader and bundle imports write many records in one).</summary>
    public async Task<WriteResult<TRow>> PutAsync<TRow, TWrite>(IWriteScope scope, IVersionedTable<TRow, TWrite> table, string id, TWrite write,
        Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId
    {
        var current = await table.CurrentAsync(scope, id, cancellationToken);
        var outcome = precondition(current?.Version);
        if (outcome != Preconditions.Outcome.Proceed)
        {
            return new(WriteResult.Refused(outcome));
        }
        var row = table.Build(id, write, Clock.Now(time));
        if (current is null)
        {
            return new(WriteStatus.Created, await InsertAsync(scope, table, row, cancellationToken));
        }
        if (WriteResult.SameContent(current.ToWrite(), row.ToWrite()))
        {
            return new(WriteStatus.Unchanged, current);
        }
        row.CreatedAt = current.CreatedAt;
        row.Version = current.Version + 1;
        var stored = await table.SaveAsync(scope, row, created: false, cancellationToken);
        await changes.RecordAsync(scope, table.Resource, id, WriteStatus.Updated, stored.Version, table.Representation(stored), cancellationToken);
        return new(WriteStatus.Updated, stored);
    }

    /// <summary>DELETE: subject to the request's preconditions; refused while other records point at the record.</summary>
    public async Task<WriteResult<TRow>> DeleteAsync<TRow, TWrite>(IVersionedTable<TRow, TWrite> table, string id,
        Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var (stop, version) = await WriteResult.DeletableVersionAsync(scope, table.VersionOfSql, id, precondition, cancellationToken);
        if (stop is { } status)
        {
            return new(status);
        }
        if (await table.InUseAsync(scope, id, cancellationToken))
        {
            return new(WriteStatus.InUse);
        }
        await table.RemoveAsync(scope, id, cancellationToken);
        await changes.RecordAsync(scope, table.Resource, id, WriteStatus.Deleted, version, null, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new(WriteStatus.Deleted);
    }

    /// <summary>A new record: its first version continues after any tombstone of the id.</summary>
    private async Task<TRow> InsertAsync<TRow, TWrite>(IWriteScope scope, IVersionedTable<TRow, TWrite> table, TRow row, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId
    {
        row.Version = await ChangeLog.FirstVersionAsync(scope, table.Resource, row.Id, cancellationToken);
        var stored = await table.SaveAsync(scope, row, created: true, cancellationToken);
        await changes.RecordAsync(scope, table.Resource, row.Id, WriteStatus.Created, stored.Version, table.Representation(stored), cancellationToken);
        return stored;
    }

    private static Task<bool> ExistsAsync<TRow, TWrite>(IWriteScope scope, IVersionedTable<TRow, TWrite> table, string id, CancellationToken cancellationToken)
        where TRow : class, IWritableRow<TWrite> where TWrite : IWriteWithId =>
        scope.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(table.IdExistsSql, new { id }, scope.Transaction, cancellationToken: cancellationToken));
}

using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Sources;

/// <summary>A source row as stored.</summary>
public sealed class SourceRow : IVersionedRow
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public string? Author { get; set; }
    public string? Publisher { get; set; }
    public string? Title { get; set; }
    public string? Url { get; set; }
    public string? PublishedOn { get; set; }
    public string? RetrievedOn { get; set; }
    public string Reliability { get; set; } = "";
    public string? Licence { get; set; }
    public string? Notes { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public long Version { get; set; }

    public SourceResponse ToResponse() => new(Id, Type, Author, Publisher, Title, Url, PublishedOn, RetrievedOn,
        Reliability, Licence, Notes, Clock.Parse(CreatedAt), Clock.Parse(UpdatedAt), Version);

    public SourceWrite ToWrite() => new(Id, Type, Author, Publisher, Title, Url, PublishedOn, RetrievedOn, Reliability, Licence, Notes);

    public static SourceRow From(string id, SourceWrite write, string now) => new()
    {
        Id = id,
        Type = write.Type!,
        Author = write.Author,
        Publisher = write.Publisher,
        Title = write.Title?.Trim(),
        Url = write.Url,
        PublishedOn = write.PublishedOn,
        RetrievedOn = write.RetrievedOn,
        Reliability = write.Reliability!,
        Licence = write.Licence,
        Notes = write.Notes,
        CreatedAt = now,
        UpdatedAt = now,
    };
}

public sealed class SourceRepository(SqliteConnectionFactory connections, ChangeLog changes, TimeProvider time)
{
    /// <summary>The resource name in the change log (its path segment).</summary>
    public const string Resource = "sources";

    public async Task<SourceRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(SourceSql.GetById, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>POST: inserts with the given id, or one derived from the title; an existing id is a conflict.</summary>
    public async Task<WriteResult<SourceRow>> CreateAsync(SourceWrite write, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        if (write.Id is not null && await ExistsAsync(scope, write.Id, cancellationToken))
        {
            return new(WriteStatus.AlreadyExists);
        }
        var id = write.Id ?? await Slugs.UniqueAsync(Slugs.From(write.Title ?? write.Url!), candidate => ExistsAsync(scope, candidate, cancellationToken));
        var row = SourceRow.From(id, write, Clock.Now(time));
        row.Version = await ChangeLog.FirstVersionAsync(scope, Resource, id, cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(SourceSql.Insert, row, scope.Transaction, cancellationToken: cancellationToken));
        await changes.RecordAsync(scope, Resource, row.Id, WriteStatus.Created, row.Version, row.ToResponse(), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new(WriteStatus.Created, row);
    }

    /// <summary>PUT: creates the source or replaces it, subject to the request's preconditions.</summary>
    public async Task<WriteResult<SourceRow>> PutAsync(string id, SourceWrite write, Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var result = await PutAsync(scope, id, write, precondition, cancellationToken);
        if (result.Status is WriteStatus.Created or WriteStatus.Updated)
        {
            await scope.CommitAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>The PUT logic inside a caller's transaction (also used by the seed loader).</summary>
    public async Task<WriteResult<SourceRow>> PutAsync(WriteScope scope, string id, SourceWrite write, Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
    {
        var current = await scope.Connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(SourceSql.GetById, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        var outcome = precondition(current?.Version);
        if (outcome != Preconditions.Outcome.Proceed)
        {
            return new(WriteResult.Refused(outcome));
        }
        var row = SourceRow.From(id, write, Clock.Now(time));
        if (current is null)
        {
            row.Version = await ChangeLog.FirstVersionAsync(scope, Resource, id, cancellationToken);
            await scope.Connection.ExecuteAsync(new CommandDefinition(SourceSql.Insert, row, scope.Transaction, cancellationToken: cancellationToken));
            await changes.RecordAsync(scope, Resource, id, WriteStatus.Created, row.Version, row.ToResponse(), cancellationToken);
            return new(WriteStatus.Created, row);
        }
        if (WriteResult.SameContent(current.ToWrite(), row.ToWrite()))
        {
            return new(WriteStatus.Unchanged, current);
        }
        row.CreatedAt = current.CreatedAt;
        row.Version = current.Version + 1;
        await scope.Connection.ExecuteAsync(new CommandDefinition(SourceSql.Update, row, scope.Transaction, cancellationToken: cancellationToken));
        await changes.RecordAsync(scope, Resource, id, WriteStatus.Updated, row.Version, row.ToResponse(), cancellationToken);
        return new(WriteStatus.Updated, row);
    }

    public async Task<WriteResult<SourceRow>> DeleteAsync(string id, Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var version = await scope.Connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(SourceSql.VersionOf, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        if (version is null)
        {
            return new(WriteStatus.NotFound);
        }
        var outcome = precondition(version);
        if (outcome != Preconditions.Outcome.Proceed)
        {
            return new(WriteResult.Refused(outcome));
        }
        if (await scope.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(SourceSql.IsCited, new { id }, scope.Transaction, cancellationToken: cancellationToken)))
        {
            return new(WriteStatus.InUse);
        }
        await scope.Connection.ExecuteAsync(new CommandDefinition(SourceSql.Delete, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        await changes.RecordAsync(scope, Resource, id, WriteStatus.Deleted, version.Value, null, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new(WriteStatus.Deleted);
    }

    private static Task<bool> ExistsAsync(WriteScope scope, string id, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(SourceSql.IdExists, new { id }, scope.Transaction, cancellationToken: cancellationToken));
}

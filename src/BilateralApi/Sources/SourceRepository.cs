using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Sources;

/// <summary>A source row as stored.</summary>
public sealed class SourceRow : IWritableRow<SourceWrite>
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

public sealed class SourceRepository(IStoreConnections connections, VersionedWrites writes) : IVersionedTable<SourceRow, SourceWrite>
{
    /// <summary>The resource name in the change log (its path segment).</summary>
    public const string Resource = "sources";

    public async Task<SourceRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(SourceSql.GetById, new { id }, cancellationToken: cancellationToken));
    }

    VersionedWrites IVersionedTable<SourceRow, SourceWrite>.Writes => writes;

    string IVersionedTable<SourceRow, SourceWrite>.Resource => Resource;

    string IVersionedTable<SourceRow, SourceWrite>.IdExistsSql => SourceSql.IdExists;

    string IVersionedTable<SourceRow, SourceWrite>.VersionOfSql => SourceSql.VersionOf;

    string IVersionedTable<SourceRow, SourceWrite>.SlugSource(SourceWrite write) => write.Title ?? write.Url!;

    SourceRow IVersionedTable<SourceRow, SourceWrite>.Build(string id, SourceWrite write, string now) => SourceRow.From(id, write, now);

    object IVersionedTable<SourceRow, SourceWrite>.Representation(SourceRow row) => row.ToResponse();

    Task<SourceRow?> IVersionedTable<SourceRow, SourceWrite>.CurrentAsync(IWriteScope scope, string id, CancellationToken cancellationToken) =>
        scope.Connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition(SourceSql.GetById, new { id }, scope.Transaction, cancellationToken: cancellationToken));

    async Task<SourceRow> IVersionedTable<SourceRow, SourceWrite>.SaveAsync(IWriteScope scope, SourceRow row, bool created, CancellationToken cancellationToken)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(created ? SourceSql.Insert : SourceSql.Update, row, scope.Transaction, cancellationToken: cancellationToken));
        return row;
    }

    Task<bool> IVersionedTable<SourceRow, SourceWrite>.InUseAsync(IWriteScope scope, string id, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(SourceSql.IsCited, new { id }, scope.Transaction, cancellationToken: cancellationToken));

    Task IVersionedTable<SourceRow, SourceWrite>.RemoveAsync(IWriteScope scope, string id, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(new CommandDefinition(SourceSql.Delete, new { id }, scope.Transaction, cancellationToken: cancellationToken));
}

using System.Data.Common;
using System.Globalization;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Querying;
using BilateralApi.Sources;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Agreements;

/// <summary>An agreement row as stored (its parties, subjects and citations live in child tables).</summary>
public sealed class AgreementRow : IWritableRow<AgreementWrite>
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? ShortTitle { get; set; }
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public string? SignedValue { get; set; }
    public string? SignedTo { get; set; }
    public bool SignedInferred { get; set; }
    public string? SignedStart { get; set; }
    public string? SignedEnd { get; set; }
    public string? InForceValue { get; set; }
    public string? InForceTo { get; set; }
    public bool InForceInferred { get; set; }
    public string? InForceStart { get; set; }
    public string? InForceEnd { get; set; }
    public string? ValidUntilValue { get; set; }
    public string? ValidUntilTo { get; set; }
    public bool ValidUntilInferred { get; set; }
    public string? ValidUntilStart { get; set; }
    public string? ValidUntilEnd { get; set; }
    public string? EndedValue { get; set; }
    public string? EndedTo { get; set; }
    public bool EndedInferred { get; set; }
    public string? EndedStart { get; set; }
    public string? EndedEnd { get; set; }
    public string? EndedReason { get; set; }
    public string? Place { get; set; }
    public string? Summary { get; set; }
    public long? ValueUsdCents { get; set; }
    public string? ParentId { get; set; }
    public string? ParentRelation { get; set; }
    public string? Notes { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public long Version { get; set; }

    public List<AgreementParty> Parties { get; } = [];
    public List<string> Subjects { get; } = [];
    public List<Citation> Citations { get; } = [];

    public AgreementResponse ToResponse() => new(
        Id, Title, ShortTitle, Type, Status, Subjects,
        DateValue.FromStored(SignedValue, SignedTo, SignedInferred),
        DateValue.FromStored(InForceValue, InForceTo, InForceInferred),
        DateValue.FromStored(ValidUntilValue, ValidUntilTo, ValidUntilInferred),
        DateValue.FromStored(EndedValue, EndedTo, EndedInferred),
        EndedReason, Place, Summary, ValueUsdCents is null ? null : ValueUsdCents.Value / 100m,
        ParentId, ParentRelation, Parties, Notes, Citations,
        Clock.Parse(CreatedAt), Clock.Parse(UpdatedAt), Version);

    public AgreementWrite ToWrite() => new(
        Id, Title, ShortTitle, Type, Status, [.. Subjects],
        DateValue.FromStored(SignedValue, SignedTo, SignedInferred),
        DateValue.FromStored(InForceValue, InForceTo, InForceInferred),
        DateValue.FromStored(ValidUntilValue, ValidUntilTo, ValidUntilInferred),
        DateValue.FromStored(EndedValue, EndedTo, EndedInferred),
        EndedReason, Place, Summary, ValueUsdCents is null ? null : ValueUsdCents.Value / 100m,
        ParentId, ParentRelation, [.. Parties], Notes, [.. Citations]);

    /// <summary>The row for a validated write, with countries in canonical alpha-3.</summary>
    public static AgreementRow From(string id, AgreementWrite write, CountryCatalog countries, string now)
    {
        var signed = DateValue.Store(write.Signed);
        var inForce = DateValue.Store(write.EnteredIntoForce);
        var validUntil = DateValue.Store(write.ValidUntil);
        var ended = DateValue.Store(write.Ended);
        var row = new AgreementRow
        {
            Id = id,
            Title = write.Title!.Trim(),
            ShortTitle = write.ShortTitle,
            Type = write.Type!,
            Status = write.Status!,
            SignedValue = signed.Value, SignedTo = signed.To, SignedInferred = signed.Inferred, SignedStart = signed.Start, SignedEnd = signed.End,
            InForceValue = inForce.Value, InForceTo = inForce.To, InForceInferred = inForce.Inferred, InForceStart = inForce.Start, InForceEnd = inForce.End,
            ValidUntilValue = validUntil.Value, ValidUntilTo = validUntil.To, ValidUntilInferred = validUntil.Inferred, ValidUntilStart = validUntil.Start, ValidUntilEnd = validUntil.End,
            EndedValue = ended.Value, EndedTo = ended.To, EndedInferred = ended.Inferred, EndedStart = ended.Start, EndedEnd = ended.End,
            EndedReason = write.EndedReason,
            Place = write.Place,
            Summary = write.Summary,
            ValueUsdCents = write.ValueUsd is null ? null : (long)(write.ValueUsd.Value * 100m),
            ParentId = write.ParentId,
            ParentRelation = write.ParentRelation,
            Notes = write.Notes,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // Subjects are a set, stored and read back in code order: the row holds them in that order too.
        row.Subjects.AddRange((write.Subjects ?? []).Order(StringComparer.Ordinal));
        row.Parties.AddRange((write.Parties ?? []).Select(p => p with { Country = countries.Normalize(p.Country) }));
        row.Citations.AddRange(write.Citations ?? []);
        return row;
    }
}

public sealed class AgreementRepository(SqliteConnectionFactory connections, CountryCatalog countries, VersionedWrites writes) : IVersionedTable<AgreementRow, AgreementWrite>
{
    /// <summary>The resource name in the change log (its path segment).</summary>
    public const string Resource = "agreements";

    private sealed class PartyRow
    {
        public string AgreementId { get; set; } = "";
        public string? Country { get; set; }
        public string? Name { get; set; }
        public string Role { get; set; } = "";
        public string? ConsentType { get; set; }
        public string? SignedOn { get; set; }
        public string? ConsentedOn { get; set; }
        public string? InForceOn { get; set; }
        public string? WithdrawnOn { get; set; }
    }

    private sealed class SubjectRow
    {
        public string AgreementId { get; set; } = "";
        public string Subject { get; set; } = "";
    }

    public async Task<AgreementRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AgreementRow>(new CommandDefinition(AgreementSql.GetById, new { id }, cancellationToken: cancellationToken));
        if (row is not null)
        {
            await LoadChildrenAsync(connection, [row], cancellationToken);
        }
        return row;
    }

    VersionedWrites IVersionedTable<AgreementRow, AgreementWrite>.Writes => writes;

    string IVersionedTable<AgreementRow, AgreementWrite>.Resource => Resource;

    string IVersionedTable<AgreementRow, AgreementWrite>.IdExistsSql => AgreementSql.IdExists;

    string IVersionedTable<AgreementRow, AgreementWrite>.VersionOfSql => AgreementSql.VersionOf;

    string IVersionedTable<AgreementRow, AgreementWrite>.SlugSource(AgreementWrite write) => write.ShortTitle ?? write.Title!;

    AgreementRow IVersionedTable<AgreementRow, AgreementWrite>.Build(string id, AgreementWrite write, string now) => AgreementRow.From(id, write, countries, now);

    object IVersionedTable<AgreementRow, AgreementWrite>.Representation(AgreementRow row) => row.ToResponse();

    async Task<AgreementRow?> IVersionedTable<AgreementRow, AgreementWrite>.CurrentAsync(IWriteScope scope, string id, CancellationToken cancellationToken)
    {
        var current = await scope.Connection.QuerySingleOrDefaultAsync<AgreementRow>(new CommandDefinition(AgreementSql.GetById, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        if (current is not null)
        {
            await LoadChildrenAsync(scope.Connection, scope.Transaction, [current], cancellationToken);
        }
        return current;
    }

    async Task<AgreementRow> IVersionedTable<AgreementRow, AgreementWrite>.SaveAsync(IWriteScope scope, AgreementRow row, bool created, CancellationToken cancellationToken)
    {
        await SaveAsync(scope, row, cancellationToken);
        return row;
    }

    Task<bool> IVersionedTable<AgreementRow, AgreementWrite>.InUseAsync(IWriteScope scope, string id, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(AgreementSql.IsReferenced, new { id }, scope.Transaction, cancellationToken: cancellationToken));

    async Task IVersionedTable<AgreementRow, AgreementWrite>.RemoveAsync(IWriteScope scope, string id, CancellationToken cancellationToken)
    {
        await CitationStore.DeleteAsync(scope, CitationStore.Agreement, id, cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(AgreementSql.Delete, new { id }, scope.Transaction, cancellationToken: cancellationToken));
    }

    private static async Task SaveAsync(IWriteScope scope, AgreementRow row, CancellationToken cancellationToken)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(AgreementSql.Upsert, row, scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(AgreementSql.DeleteChildren, new { id = row.Id }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(AgreementSql.InsertParty,
            row.Parties.Select((p, i) => new { AgreementId = row.Id, Ordinal = i, p.Country, p.Name, p.Role, p.ConsentType, p.SignedOn, p.ConsentedOn, p.InForceOn, p.WithdrawnOn }),
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(AgreementSql.InsertSubject,
            row.Subjects.Select(s => new { AgreementId = row.Id, Subject = s }), scope.Transaction, cancellationToken: cancellationToken));
        await CitationStore.ReplaceAsync(scope, CitationStore.Agreement, row.Id, row.Citations, cancellationToken);
    }

    /// <summary>One statement per child table for a whole page of rows (no per-row queries).</summary>
    internal static Task LoadChildrenAsync(SqliteConnection connection, IReadOnlyList<AgreementRow> rows, CancellationToken cancellationToken) =>
        LoadChildrenAsync(connection, null, rows, cancellationToken);

    internal static async Task LoadChildrenAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<AgreementRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var ids = rows.Select(r => r.Id).ToArray();
        var parties = (await connection.QueryAsync<PartyRow>(new CommandDefinition(AgreementSql.Parties, new { ids }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(p => p.AgreementId, StringComparer.Ordinal);
        var subjects = (await connection.QueryAsync<SubjectRow>(new CommandDefinition(AgreementSql.Subjects, new { ids }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(s => s.AgreementId, StringComparer.Ordinal);
        var citations = await CitationStore.LoadAsync(connection, CitationStore.Agreement, ids, cancellationToken, transaction);
        foreach (var row in rows)
        {
            row.Parties.AddRange(parties[row.Id].Select(p => new AgreementParty(p.Country, p.Name, p.Role, p.ConsentType, p.SignedOn, p.ConsentedOn, p.InForceOn, p.WithdrawnOn)));
            row.Subjects.AddRange(subjects[row.Id].Select(s => s.Subject));
            row.Citations.AddRange(citations[row.Id]);
        }
    }
}

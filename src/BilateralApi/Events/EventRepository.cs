using System.Data.Common;
using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Querying;
using BilateralApi.Sources;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Events;

/// <summary>An event row as stored, with its children once loaded.</summary>
public sealed class EventRow : IWritableRow<EventWrite>
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    public string DateValue { get; set; } = "";
    public string? DateTo { get; set; }
    public bool DateInferred { get; set; }
    public string DateStart { get; set; } = "";
    public string DateEnd { get; set; } = "";
    public string Type { get; set; } = "";
    public string? Mode { get; set; }
    public string? Subtype { get; set; }

    /// <summary>The stored override; null when the event takes the default of its mode or type.</summary>
    public double? Intensity { get; set; }

    /// <summary>Read only (see <see cref="EventSql.EffectiveIntensity"/>).</summary>
    public double? EffectiveIntensity { get; set; }

    public long Quad { get; set; }
    public string? LocationCountry { get; set; }
    public string? LocationPlace { get; set; }
    public string Verification { get; set; } = "";
    public string? RelatedAgreementId { get; set; }
    public string? Notes { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public long Version { get; set; }

    public List<string> Contexts { get; set; } = [];
    public List<string> Subjects { get; set; } = [];
    public List<EventParticipant> Participants { get; set; } = [];
    public List<Citation> Citations { get; set; } = [];

    private EventLocation? Location => LocationCountry is null && LocationPlace is null ? null : new(LocationCountry, LocationPlace);

    private DateValue Date => Infrastructure.Dates.DateValue.FromStored(DateValue, DateTo, DateInferred)!;

    public EventResponse ToResponse() => new(Id, Title, Summary, Date, Type, Mode, Subtype, Contexts, Subjects,
        EffectiveIntensity, (int)Quad, Location, Participants, Verification, RelatedAgreementId, Notes, Citations,
        Clock.Parse(CreatedAt), Clock.Parse(UpdatedAt), Version);

    /// <summary>The write shape of the stored record (for PATCH): the intensity override, not the effective value, so a patch that leaves it alone keeps following the default.</summary>
    public EventWrite ToWrite() => new(Id, Title, Summary, Date, Type, Mode, Subtype, [.. Contexts], [.. Subjects],
        Intensity, Location, [.. Participants], Verification, RelatedAgreementId, Notes, [.. Citations]);

    /// <summary>A row from a validated write: countries in alpha-3, the quad of the type, the date's bounds.</summary>
    public static EventRow From(string id, EventWrite write, string now, CodeListCatalog codes, CountryCatalog countries)
    {
        var (start, end) = write.Date!.Bounds();
        return new()
        {
            Id = id,
            Title = write.Title!.Trim(),
            Summary = write.Summary,
            DateValue = write.Date.Value!,
            DateTo = write.Date.To,
            DateInferred = write.Date.Inferred == true,
            DateStart = start,
            DateEnd = end,
            Type = write.Type!,
            Mode = write.Mode,
            Subtype = write.Subtype,
            Intensity = write.Intensity,
            Quad = codes.Find("eventType", write.Type)?.Quad
                ?? throw new InvalidOperationException($"The eventType '{write.Type}' has no quad in the code list."),
            LocationCountry = countries.Normalize(NullIfBlank(write.Location?.Country)),
            LocationPlace = NullIfBlank(write.Location?.Place),
            Verification = write.Verification!,
            RelatedAgreementId = write.RelatedAgreementId,
            Notes = write.Notes,
            CreatedAt = now,
            UpdatedAt = now,
            // Contexts and subjects are sets, stored and read back in code order: the row holds them in that order too.
            Contexts = [.. (write.Contexts ?? []).Order(StringComparer.Ordinal)],
            Subjects = [.. (write.Subjects ?? []).Order(StringComparer.Ordinal)],
            Participants = [.. (write.Participants ?? []).Select(p => p with { Country = countries.Normalize(NullIfBlank(p.Country)), Name = NullIfBlank(p.Name) })],
            Citations = [.. write.Citations!],
        };
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>A participant row, read for many events at once.</summary>
public sealed class EventParticipantRow
{
    public string EventId { get; set; } = "";
    public long Ordinal { get; set; }
    public string Role { get; set; } = "";
    public string? Country { get; set; }
    public string? Sector { get; set; }
    public string? Name { get; set; }
}

/// <summary>A code of an event's context or subject set, read for many events at once.</summary>
public sealed class EventCodeRow
{
    public string EventId { get; set; } = "";
    public string Code { get; set; } = "";
}

public sealed class EventRepository(SqliteConnectionFactory connections, CodeListCatalog codes, CountryCatalog countries, VersionedWrites writes) : IVersionedTable<EventRow, EventWrite>
{
    /// <summary>The resource name in the change log (its path segment).</summary>
    public const string Resource = "events";

    public async Task<EventRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(EventSql.GetById, new { id }, cancellationToken: cancellationToken));
        if (row is not null)
        {
            await LoadChildrenAsync(connection, null, [row], cancellationToken);
        }
        return row;
    }

    VersionedWrites IVersionedTable<EventRow, EventWrite>.Writes => writes;

    string IVersionedTable<EventRow, EventWrite>.Resource => Resource;

    string IVersionedTable<EventRow, EventWrite>.IdExistsSql => EventSql.IdExists;

    string IVersionedTable<EventRow, EventWrite>.VersionOfSql => EventSql.VersionOf;

    string IVersionedTable<EventRow, EventWrite>.SlugSource(EventWrite write) => write.Title!;

    EventRow IVersionedTable<EventRow, EventWrite>.Build(string id, EventWrite write, string now) => EventRow.From(id, write, now, codes, countries);

    object IVersionedTable<EventRow, EventWrite>.Representation(EventRow row) => row.ToResponse();

    Task<EventRow?> IVersionedTable<EventRow, EventWrite>.CurrentAsync(IWriteScope scope, string id, CancellationToken cancellationToken) =>
        StoredAsync(scope, id, cancellationToken);

    /// <summary>
    /// Writes the event row, replaces its child rows and citations, then reads the event back so the
    /// answer (and the change log) shows what is stored, including the effective intensity the store computes.
    /// </summary>
    async Task<EventRow> IVersionedTable<EventRow, EventWrite>.SaveAsync(IWriteScope scope, EventRow row, bool created, CancellationToken cancellationToken)
    {
        var connection = scope.Connection;
        await connection.ExecuteAsync(new CommandDefinition(created ? EventSql.Insert : EventSql.Update, row, scope.Transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(EventSql.DeleteChildren, new { id = row.Id }, scope.Transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(EventSql.InsertParticipant,
            row.Participants.Select((p, i) => new { EventId = row.Id, Ordinal = i, p.Role, p.Country, p.Sector, p.Name }),
            scope.Transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(EventSql.InsertContext,
            row.Contexts.Select(code => new { EventId = row.Id, Code = code }), scope.Transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(EventSql.InsertSubject,
            row.Subjects.Select(code => new { EventId = row.Id, Code = code }), scope.Transaction, cancellationToken: cancellationToken));
        await CitationStore.ReplaceAsync(scope, CitationStore.Event, row.Id, row.Citations, cancellationToken);
        return (await StoredAsync(scope, row.Id, cancellationToken))!;
    }

    // No other record points at an event (its children and citations are its own).
    Task<bool> IVersionedTable<EventRow, EventWrite>.InUseAsync(IWriteScope scope, string id, CancellationToken cancellationToken) => Task.FromResult(false);

    async Task IVersionedTable<EventRow, EventWrite>.RemoveAsync(IWriteScope scope, string id, CancellationToken cancellationToken)
    {
        // Citations point at the event by kind + id, not by foreign key, so they do not cascade.
        await CitationStore.DeleteAsync(scope, CitationStore.Event, id, cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(EventSql.Delete, new { id }, scope.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The stored event with its child rows and citations, inside the write's transaction.</summary>
    private static async Task<EventRow?> StoredAsync(IWriteScope scope, string id, CancellationToken cancellationToken)
    {
        var row = await scope.Connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(EventSql.GetById, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        if (row is not null)
        {
            await LoadChildrenAsync(scope.Connection, scope.Transaction, [row], cancellationToken);
        }
        return row;
    }

    /// <summary>Fills participants, contexts, subjects and citations of many events: one statement per kind of child, never one per event.</summary>
    internal static async Task LoadChildrenAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<EventRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var ids = rows.Select(r => r.Id).ToArray();
        var participants = (await connection.QueryAsync<EventParticipantRow>(new CommandDefinition(EventSql.ParticipantsOf, new { ids }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(p => p.EventId, p => new EventParticipant(p.Role, p.Country, p.Sector, p.Name), StringComparer.Ordinal);
        var contexts = (await connection.QueryAsync<EventCodeRow>(new CommandDefinition(EventSql.ContextsOf, new { ids }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(c => c.EventId, c => c.Code, StringComparer.Ordinal);
        var subjects = (await connection.QueryAsync<EventCodeRow>(new CommandDefinition(EventSql.SubjectsOf, new { ids }, transaction, cancellationToken: cancellationToken)))
            .ToLookup(s => s.EventId, s => s.Code, StringComparer.Ordinal);
        var citations = await CitationStore.LoadAsync(connection, CitationStore.Event, ids, cancellationToken, transaction);
        foreach (var row in rows)
        {
            row.Participants = [.. participants[row.Id]];
            row.Contexts = [.. contexts[row.Id]];
            row.Subjects = [.. subjects[row.Id]];
            row.Citations = [.. citations[row.Id]];
        }
    }
}

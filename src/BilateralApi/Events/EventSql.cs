using BilateralApi.Querying;

namespace BilateralApi.Events;

internal static class EventSql
{
    private static readonly RelatedRows ParticipantRows = new("event_participant pt", "pt.event_id = e.id");

    /// <summary>What filter=, sort=, facet= and q= may use on GET /v1/events.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "events",
        From = "event e",
        Columns = Columns,
        Id = new("id", "e.id", FieldType.Code) { Example = "il-embassy-baku-opening-1993-08" },
        Fields =
        [
            new("title", "e.title", FieldType.Text) { Facetable = false, Example = "Israel opens its embassy in Baku" },
            new("date", "e.date_start", FieldType.Date) { EndSql = "e.date_end" },
            new("type", "e.type", FieldType.Code),
            new("mode", "e.mode", FieldType.Code) { Nullable = true },
            new("subtype", "e.subtype", FieldType.Code) { Nullable = true },
            new("intensity", "e.intensity", FieldType.Number) { Nullable = true },
            new("quad", "e.quad", FieldType.Integer),
            new("location.country", "e.location_country", FieldType.Country) { Nullable = true },
            new("location.place", "e.location_place", FieldType.Text) { Nullable = true, Example = "Baku" },
            new("verification", "e.verification", FieldType.Code),
            new("relatedAgreementId", "e.related_agreement_id", FieldType.Code) { Nullable = true },
            new("createdAt", "e.created_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            new("updatedAt", "e.updated_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            QueryField.InRelated("participants.country", "pt.country", FieldType.Country, ParticipantRows),
            QueryField.InRelated("participants.role", "pt.role", FieldType.Code, ParticipantRows) with { Example = "actor" },
            QueryField.InRelated("participants.sector", "pt.sector", FieldType.Code, ParticipantRows) with { Example = "GOV" },
            QueryField.InRelated("participants.name", "pt.name", FieldType.Text, ParticipantRows) with { Example = "Ilham Aliyev" },
            QueryField.InRelated("contexts", "ec.context", FieldType.Code, new("event_context ec", "ec.event_id = e.id")) with { Example = "economic" },
            QueryField.InRelated("subjects", "es.subject", FieldType.Code, new("event_subject es", "es.event_id = e.id")) with { Example = "energy" },
            QueryField.InRelated("citations.sourceId", "c.source_id", FieldType.Code, new("citation c", "c.record_kind = 'event' AND c.record_id = e.id")) with { Example = "seed-article" },
        ],
        DefaultSort = ["date"],
        FilterExample = "participants.country eq 'TUR' or (type eq 'ASSAULT' and date ge '2020')",
        FullText = [TextTable.Events],
        SearchFields = ["title", "summary", "place", "notes"],
    };

    /// <summary>
    /// The intensity an event counts with: its stored override, else the default of its mode, else of
    /// its type. Computed when read (not stored) so that an event without an override follows the code
    /// list; analytics over events use the same expression. Needs the event table aliased as e.
    /// </summary>
    public const string EffectiveIntensity = """
        COALESCE(e.intensity,
            (SELECT m.intensity FROM code_list_entry m WHERE m.list = 'eventMode' AND m.parent = e.type AND m.code = e.mode),
            (SELECT t.intensity FROM code_list_entry t WHERE t.list = 'eventType' AND t.parent = '' AND t.code = e.type))
        """;

    public const string Columns = $"""
        e.id AS Id, e.title AS Title, e.summary AS Summary, e.date_value AS DateValue, e.date_to AS DateTo,
        e.date_inferred AS DateInferred, e.date_start AS DateStart, e.date_end AS DateEnd, e.type AS Type, e.mode AS Mode,
        e.subtype AS Subtype, e.intensity AS Intensity, {EffectiveIntensity} AS EffectiveIntensity, e.quad AS Quad,
        e.location_country AS LocationCountry, e.location_place AS LocationPlace, e.verification AS Verification,
        e.related_agreement_id AS RelatedAgreementId, e.notes AS Notes, e.created_at AS CreatedAt, e.updated_at AS UpdatedAt,
        e.version AS Version
        """;

    public const string GetById = $"SELECT {Columns} FROM event e WHERE e.id = @id";

    public const string VersionOf = "SELECT version FROM event WHERE id = @id";

    public const string IdExists = "SELECT EXISTS (SELECT 1 FROM event WHERE id = @id)";

    /// <summary>
    /// The list statement, in date order with the id as tie-breaker (the keyset of the cursor, served by
    /// ix_event_date); {0} is the WHERE built from whitelisted filters.
    /// </summary>
    public const string List = $"SELECT {Columns} FROM event e WHERE {{0}} ORDER BY e.date_start, e.id LIMIT @limit";

    /// <summary>Keyset position after the last row served: row-value comparison on (date_start, id).</summary>
    public const string After = "(e.date_start, e.id) > ({0}, {1})";

    // Filter templates for ListFilters: {0} (and {1}) are parameter names, never values.
    public const string CountryFilter = """
        (EXISTS (SELECT 1 FROM event_participant p WHERE p.event_id = e.id AND p.country IN {0})
            OR (e.location_country IS NOT NULL AND e.location_country IN {0}))
        """;

    public const string PairFilter = """
        (EXISTS (SELECT 1 FROM event_participant p WHERE p.event_id = e.id AND p.country = {0})
            AND EXISTS (SELECT 1 FROM event_participant p WHERE p.event_id = e.id AND p.country = {1}))
        """;

    public const string ContextFilter = "EXISTS (SELECT 1 FROM event_context c WHERE c.event_id = e.id AND c.context IN {0})";

    public const string SubjectFilter = "EXISTS (SELECT 1 FROM event_subject s WHERE s.event_id = e.id AND s.subject IN {0})";

    // Children of many events at once (one statement each per page, never per event); {0}: the ids (SqlLists).
    public const string ParticipantsOf = """
        SELECT event_id AS EventId, ordinal AS Ordinal, role AS Role, country AS Country, sector AS Sector, name AS Name
        FROM event_participant WHERE event_id IN {0} ORDER BY event_id, ordinal
        """;

    public const string ContextsOf = "SELECT event_id AS EventId, context AS Code FROM event_context WHERE event_id IN {0} ORDER BY event_id, context";

    public const string SubjectsOf = "SELECT event_id AS EventId, subject AS Code FROM event_subject WHERE event_id IN {0} ORDER BY event_id, subject";

    // Flags are stored as 0/1 on both stores: a C# bool parameter is cast (Npgsql sends it as boolean, which a bigint column does not take).
    public const string Insert = """
        INSERT INTO event (id, title, summary, date_value, date_to, date_inferred, date_start, date_end, type, mode, subtype,
            intensity, quad, location_country, location_place, verification, related_agreement_id, notes, created_at, updated_at, version)
        VALUES (@Id, @Title, @Summary, @DateValue, @DateTo, CAST(@DateInferred AS INTEGER), @DateStart, @DateEnd, @Type, @Mode, @Subtype,
            @Intensity, @Quad, @LocationCountry, @LocationPlace, @Verification, @RelatedAgreementId, @Notes, @CreatedAt, @UpdatedAt, @Version)
        """;

    public const string Update = """
        UPDATE event SET title = @Title, summary = @Summary, date_value = @DateValue, date_to = @DateTo, date_inferred = CAST(@DateInferred AS INTEGER),
            date_start = @DateStart, date_end = @DateEnd, type = @Type, mode = @Mode, subtype = @Subtype, intensity = @Intensity,
            quad = @Quad, location_country = @LocationCountry, location_place = @LocationPlace, verification = @Verification,
            related_agreement_id = @RelatedAgreementId, notes = @Notes, updated_at = @UpdatedAt, version = @Version
        WHERE id = @Id
        """;

    public const string DeleteChildren = """
        DELETE FROM event_participant WHERE event_id = @id;
        DELETE FROM event_context WHERE event_id = @id;
        DELETE FROM event_subject WHERE event_id = @id;
        """;

    public const string InsertParticipant = """
        INSERT INTO event_participant (event_id, ordinal, role, country, sector, name)
        VALUES (@EventId, @Ordinal, @Role, @Country, @Sector, @Name)
        """;

    public const string InsertContext = "INSERT INTO event_context (event_id, context) VALUES (@EventId, @Code)";

    public const string InsertSubject = "INSERT INTO event_subject (event_id, subject) VALUES (@EventId, @Code)";

    /// <summary>The child rows go with it (ON DELETE CASCADE); citations are deleted by CitationStore.</summary>
    public const string Delete = "DELETE FROM event WHERE id = @id";
}

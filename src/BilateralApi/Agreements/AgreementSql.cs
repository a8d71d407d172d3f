using BilateralApi.Querying;

namespace BilateralApi.Agreements;

internal static class AgreementSql
{
    private static readonly RelatedRows PartyRows = new("agreement_party p", "p.agreement_id = a.id");
    private static readonly RelatedRows CitationRows = new("citation c", "c.record_kind = 'agreement' AND c.record_id = a.id");

    /// <summary>What filter=, sort=, facet= and q= may use on GET /v1/agreements.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "agreements",
        From = "agreement a",
        Columns = Columns,
        Id = new("id", "a.id", FieldType.Code) { Example = "az-il-education-programme-2023-2026" },
        Fields =
        [
            new("title", "a.title", FieldType.Text) { Facetable = false, Example = "Agreement between Azersu and Mekorot (official title not given in the sources)" },
            new("shortTitle", "a.short_title", FieldType.Text) { Nullable = true, Facetable = false, Example = "Azersu-Mekorot agreement" },
            new("type", "a.type", FieldType.Code),
            new("status", "a.status", FieldType.Code),
            new("signed", "a.signed_start", FieldType.Date) { EndSql = "a.signed_end", Nullable = true },
            new("enteredIntoForce", "a.in_force_start", FieldType.Date) { EndSql = "a.in_force_end", Nullable = true },
            new("validUntil", "a.valid_until_start", FieldType.Date) { EndSql = "a.valid_until_end", Nullable = true },
            new("ended", "a.ended_start", FieldType.Date) { EndSql = "a.ended_end", Nullable = true },
            new("place", "a.place", FieldType.Text) { Nullable = true, Example = "Baku" },
            new("valueUsd", "a.value_usd_cents", FieldType.Money) { Nullable = true },
            new("parentId", "a.parent_id", FieldType.Code) { Nullable = true, Example = "az-il-education-programme-2023-2026" },
            new("parentRelation", "a.parent_relation", FieldType.Code) { Nullable = true, Example = "implements" },
            new("createdAt", "a.created_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            new("updatedAt", "a.updated_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            QueryField.InRelated("parties.country", "p.country", FieldType.Country, PartyRows),
            QueryField.InRelated("parties.name", "p.name", FieldType.Text, PartyRows) with { Example = "SOCAR" },
            QueryField.InRelated("parties.role", "p.role", FieldType.Code, PartyRows) with { Example = "licensee" },
            QueryField.InRelated("subjects", "s.subject", FieldType.Code, new("agreement_subject s", "s.agreement_id = a.id")) with { Example = "energy" },
            QueryField.InRelated("citations.sourceId", "c.source_id", FieldType.Code, CitationRows) with { Example = "seed-article" },
        ],
        FullText = [TextTable.Agreements],
        FilterExample = "type eq 'mou' or (status in ('inForce','signed') and signed ge '2020')",
        SearchFields = ["title", "shortTitle", "summary", "place", "notes"],
    };

    public const string Columns = """
        a.id AS Id, a.title AS Title, a.short_title AS ShortTitle, a.type AS Type, a.status AS Status,
        a.signed_value AS SignedValue, a.signed_to AS SignedTo, a.signed_inferred AS SignedInferred,
        a.in_force_value AS InForceValue, a.in_force_to AS InForceTo, a.in_force_inferred AS InForceInferred,
        a.valid_until_value AS ValidUntilValue, a.valid_until_to AS ValidUntilTo, a.valid_until_inferred AS ValidUntilInferred,
        a.ended_value AS EndedValue, a.ended_to AS EndedTo, a.ended_inferred AS EndedInferred, a.ended_reason AS EndedReason,
        a.place AS Place, a.summary AS Summary, a.value_usd_cents AS ValueUsdCents, a.parent_id AS ParentId,
        a.parent_relation AS ParentRelation, a.notes AS Notes, a.created_at AS CreatedAt, a.updated_at AS UpdatedAt, a.version AS Version
        """;

    public const string GetById = $"SELECT {Columns} FROM agreement a WHERE a.id = @id";

    public const string VersionOf = "SELECT version FROM agreement WHERE id = @id";

    public const string IdExists = "SELECT EXISTS (SELECT 1 FROM agreement WHERE id = @id)";

    /// <summary>{0}: the WHERE built from whitelisted filters.</summary>
    public const string List = $"SELECT {Columns} FROM agreement a WHERE {{0}} ORDER BY a.id LIMIT @limit";

    // Children of many agreements at once; {0}: the ids (SqlLists).
    public const string Parties = """
        SELECT agreement_id AS AgreementId, country AS Country, name AS Name, role AS Role, consent_type AS ConsentType,
               signed_on AS SignedOn, consented_on AS ConsentedOn, in_force_on AS InForceOn, withdrawn_on AS WithdrawnOn
        FROM agreement_party WHERE agreement_id IN {0} ORDER BY agreement_id, ordinal
        """;

    public const string Subjects = "SELECT agreement_id AS AgreementId, subject AS Subject FROM agreement_subject WHERE agreement_id IN {0} ORDER BY agreement_id, subject";

    // Flags are stored as 0/1 on both stores: a C# bool parameter is cast (Npgsql sends it as boolean, which a bigint column does not take).
    public const string Upsert = """
        INSERT INTO agreement (id, title, short_title, type, status,
            signed_value, signed_to, signed_inferred, signed_start, signed_end,
            in_force_value, in_force_to, in_force_inferred, in_force_start, in_force_end,
            valid_until_value, valid_until_to, valid_until_inferred, valid_until_start, valid_until_end,
            ended_value, ended_to, ended_inferred, ended_start, ended_end, ended_reason,
            place, summary, value_usd_cents, parent_id, parent_relation, notes, created_at, updated_at, version)
        VALUES (@Id, @Title, @ShortTitle, @Type, @Status,
            @SignedValue, @SignedTo, CAST(@SignedInferred AS INTEGER), @SignedStart, @SignedEnd,
            @InForceValue, @InForceTo, CAST(@InForceInferred AS INTEGER), @InForceStart, @InForceEnd,
            @ValidUntilValue, @ValidUntilTo, CAST(@ValidUntilInferred AS INTEGER), @ValidUntilStart, @ValidUntilEnd,
            @EndedValue, @EndedTo, CAST(@EndedInferred AS INTEGER), @EndedStart, @EndedEnd, @EndedReason,
            @Place, @Summary, @ValueUsdCents, @ParentId, @ParentRelation, @Notes, @CreatedAt, @UpdatedAt, @Version)
        ON CONFLICT (id) DO UPDATE SET
            title = excluded.title, short_title = excluded.short_title, type = excluded.type, status = excluded.status,
            signed_value = excluded.signed_value, signed_to = excluded.signed_to, signed_inferred = excluded.signed_inferred,
            signed_start = excluded.signed_start, signed_end = excluded.signed_end,
            in_force_value = excluded.in_force_value, in_force_to = excluded.in_force_to, in_force_inferred = excluded.in_force_inferred,
            in_force_start = excluded.in_force_start, in_force_end = excluded.in_force_end,
            valid_until_value = excluded.valid_until_value, valid_until_to = excluded.valid_until_to, valid_until_inferred = excluded.valid_until_inferred,
            valid_until_start = excluded.valid_until_start, valid_until_end = excluded.valid_until_end,
            ended_value = excluded.ended_value, ended_to = excluded.ended_to, ended_inferred = excluded.ended_inferred,
            ended_start = excluded.ended_start, ended_end = excluded.ended_end, ended_reason = excluded.ended_reason,
            place = excluded.place, summary = excluded.summary, value_usd_cents = excluded.value_usd_cents,
            parent_id = excluded.parent_id, parent_relation = excluded.parent_relation, notes = excluded.notes,
            updated_at = excluded.updated_at, version = excluded.version
        """;

    public const string DeleteChildren = """
        DELETE FROM agreement_party WHERE agreement_id = @id;
        DELETE FROM agreement_subject WHERE agreement_id = @id;
        """;

    public const string InsertParty = """
        INSERT INTO agreement_party (agreement_id, ordinal, country, name, role, consent_type, signed_on, consented_on, in_force_on, withdrawn_on)
        VALUES (@AgreementId, @Ordinal, @Country, @Name, @Role, @ConsentType, @SignedOn, @ConsentedOn, @InForceOn, @WithdrawnOn)
        """;

    public const string InsertSubject = "INSERT INTO agreement_subject (agreement_id, subject) VALUES (@AgreementId, @Subject)";

    public const string Delete = "DELETE FROM agreement WHERE id = @id";

    /// <summary>Other records that point at an agreement and stop its deletion.</summary>
    public const string IsReferenced = """
        SELECT EXISTS (SELECT 1 FROM agreement WHERE parent_id = @id)
            OR EXISTS (SELECT 1 FROM event WHERE related_agreement_id = @id)
        """;

    // Filters: templates whose {0} (and {1}) are a parameter or a list of parameters (SqlConditions.List), never values.
    public const string PartyCountryIn = "EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.country IN {0})";

    public const string PairBoth = """
        (EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.country = {0})
         AND EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.country = {1}))
        """;

    public const string SubjectIn = "EXISTS (SELECT 1 FROM agreement_subject s WHERE s.agreement_id = a.id AND s.subject IN {0})";

    /// <summary>In force on day {0}: see docs/decisions/0004-in-force-on.md.</summary>
    public const string InForceOn = """
        ((a.in_force_start IS NOT NULL AND a.in_force_start <= {0})
          OR (a.in_force_start IS NULL AND a.status IN ('inForce', 'provisionallyApplied') AND (a.signed_start IS NULL OR a.signed_start <= {0})))
        AND (a.ended_start IS NULL OR a.ended_start > {0})
        AND (a.valid_until_end IS NULL OR a.valid_until_end >= {0})
        AND a.status NOT IN ('proposed', 'underNegotiation')
        """;
}

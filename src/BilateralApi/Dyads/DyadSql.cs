using BilateralApi.Events;
using BilateralApi.Querying;

namespace BilateralApi.Dyads;

/// <summary>
/// SQL of the dyad views. @a and @b are the two countries (alpha-3). Agreements of the pair have both
/// among their parties (ix_agreement_party_country); events have participants from both
/// (ix_event_participant_country), as the pair= filters of the lists.
/// </summary>
internal static class DyadSql
{
    // Driven from the country indexes: the two sets of ids are intersected, no scan of all records.
    public const string AgreementOfPair = """
        a.id IN (SELECT p.agreement_id FROM agreement_party p WHERE p.country = @a
                 INTERSECT SELECT p.agreement_id FROM agreement_party p WHERE p.country = @b)
        """;

    public const string EventOfPair = """
        e.id IN (SELECT p.event_id FROM event_participant p WHERE p.country = @a
                 INTERSECT SELECT p.event_id FROM event_participant p WHERE p.country = @b)
        """;

    /// <summary>Directed: a acts (role actor) and b receives (role recipient).</summary>
    public const string EventFromAToB = """
        e.id IN (SELECT p.event_id FROM event_participant p WHERE p.country = @a AND p.role = 'actor'
                 INTERSECT SELECT p.event_id FROM event_participant p WHERE p.country = @b AND p.role = 'recipient')
        """;

    // Written as two IN lists (equivalent, since a row's reporter and partner differ and so do a and b) so
    // that the planner seeks the (reporter, partner, …) indexes; with the OR form it preferred the flow
    // index and scanned half the table (0.5 s on 1,000,000 rows, see docs/performance.md).
    public const string TradeOfPair = "(t.reporter IN (@a, @b) AND t.partner IN (@a, @b) AND t.reporter <> t.partner)";

    public const string AgreementsByStatus = $"""
        SELECT a.status AS Code, COUNT(*) AS Count FROM agreement a WHERE {AgreementOfPair} GROUP BY a.status ORDER BY a.status
        """;

    /// <summary>In force on @today, by the rule of decision 0004 (AgreementSql.InForceOn).</summary>
    public static readonly string AgreementsInForce = $"""
        SELECT a.id AS Id, a.title AS Title, a.type AS Type, a.status AS Status FROM agreement a
        WHERE {AgreementOfPair} AND {string.Format(System.Globalization.CultureInfo.InvariantCulture, Agreements.AgreementSql.InForceOn, "@today")}
        ORDER BY a.id
        """;

    public const string EventsByType = $"""
        SELECT e.type AS Code, e.quad AS Quad, COUNT(*) AS Count FROM event e WHERE {EventOfPair} GROUP BY e.type, e.quad ORDER BY e.quad, e.type
        """;

    /// <summary>The first event (earliest start) and the latest (latest start), in one statement (PostgreSQL before 16 wants each subquery named).</summary>
    public const string FirstAndLatestEvent = $"""
        SELECT * FROM (SELECT 'first' AS Which, e.id AS Id, e.title AS Title, e.type AS Type, e.date_value AS DateValue, e.date_to AS DateTo,
                              e.date_inferred AS DateInferred
                       FROM event e WHERE {EventOfPair} ORDER BY e.date_start, e.id LIMIT 1) f
        UNION ALL
        SELECT * FROM (SELECT 'latest', e.id, e.title, e.type, e.date_value, e.date_to, e.date_inferred
                       FROM event e WHERE {EventOfPair} ORDER BY e.date_start DESC, e.id DESC LIMIT 1) l
        """;

    /// <summary>Trade of the pair per year, reporter, flow and HS code, at TOTAL and chapter level (for the balance and top chapters).</summary>
    public const string Trade = $"""
        SELECT t.year AS Year, t.reporter AS Reporter, t.partner AS Partner, t.flow AS Flow, t.hs AS Hs, c.description AS Description,
               {TradeAnalytics.TradeAnalyticsSql.Aggregates}
        FROM trade_record t LEFT JOIN commodity c ON c.code = t.hs
        WHERE {TradeOfPair} AND t.flow IN ('X', 'M') AND (t.hs = 'TOTAL' OR length(t.hs) = 2) AND {TradeAnalytics.TradeAnalyticsSql.Counted}
        GROUP BY t.year, t.reporter, t.partner, t.flow, t.hs, c.description
        ORDER BY t.year, t.hs
        """;

    /// <summary>
    /// The subject a traded HS chapter belongs to, for the subject table: a deliberately small, documented
    /// mapping (docs/analytics.md); chapters outside it have no subject.
    /// </summary>
    public const string TradeSubject = """
        CASE
            WHEN substr(t.hs, 1, 2) = '27' THEN 'energy'
            WHEN substr(t.hs, 1, 2) = '93' THEN 'defence'
            WHEN substr(t.hs, 1, 2) = '30' THEN 'health'
            WHEN substr(t.hs, 1, 2) BETWEEN '01' AND '24' THEN 'agriculture'
            WHEN substr(t.hs, 1, 2) BETWEEN '86' AND '89' THEN 'transport'
        END
        """;

    public const string SubjectTable = $"""
        SELECT s.subject AS Subject, 'agreements' AS Kind, COUNT(*) AS Count
        FROM agreement_subject s JOIN agreement a ON a.id = s.agreement_id WHERE {AgreementOfPair} GROUP BY s.subject
        UNION ALL
        SELECT s.subject, 'events', COUNT(*)
        FROM event_subject s JOIN event e ON e.id = s.event_id WHERE {EventOfPair} GROUP BY s.subject
        UNION ALL
        SELECT {TradeSubject}, 'trade', COUNT(*)
        FROM trade_record t WHERE {TradeOfPair} AND t.hs <> 'TOTAL' AND {TradeSubject} IS NOT NULL GROUP BY 1
        """;

    /// <summary>
    /// The sources cited by the pair's agreements and events, and named by its trade records. Counted with
    /// COUNT(CASE …), not SUM of a comparison: a comparison is an integer in SQLite but a boolean in PostgreSQL.
    /// </summary>
    public const string Sources = $"""
        SELECT u.SourceId AS Id, s.title AS Title, s.publisher AS Publisher, s.reliability AS Reliability,
               COUNT(CASE WHEN u.Kind = 'agreement' THEN 1 END) AS Agreements, COUNT(CASE WHEN u.Kind = 'event' THEN 1 END) AS Events,
               COUNT(CASE WHEN u.Kind = 'trade' THEN 1 END) AS TradeRecords
        FROM (
            SELECT DISTINCT c.source_id AS SourceId, c.record_kind AS Kind, c.record_id AS RecordId
            FROM citation c WHERE c.record_kind = 'agreement' AND c.record_id IN (SELECT a.id FROM agreement a WHERE {AgreementOfPair})
            UNION ALL
            SELECT DISTINCT c.source_id, c.record_kind, c.record_id
            FROM citation c WHERE c.record_kind = 'event' AND c.record_id IN (SELECT e.id FROM event e WHERE {EventOfPair})
            UNION ALL
            SELECT t.source_id, 'trade', CAST(t.id AS TEXT) FROM trade_record t WHERE {TradeOfPair}
        ) u JOIN source s ON s.id = u.SourceId
        GROUP BY u.SourceId, s.title, s.publisher, s.reliability
        ORDER BY COUNT(*) DESC, u.SourceId
        """;

    /// <summary>Bucket of a date column (ISO text) per interval; whitelisted by the endpoint.</summary>
    public static string Bucket(string interval, string column) => interval switch
    {
        "month" => $"substr({column}, 1, 7)",
        "quarter" => $"(substr({column}, 1, 4) || '-Q' || ((CAST(substr({column}, 6, 2) AS INTEGER) + 2) / 3))",
        _ => $"substr({column}, 1, 4)",
    };

    /// <summary>
    /// Events per bucket and quad. An event counts in a bucket only when its whole date span lies in it;
    /// the others are counted apart (<see cref="Unplaced"/>). {0}: bucket of date_start, {1}: of date_end, {2}: the pair condition.
    /// </summary>
    public const string Cooperation = $$"""
        SELECT {0} AS Bucket, e.quad AS Quad, COUNT(*) AS Events,
               SUM({{EventSql.EffectiveIntensity}}) AS IntensitySum, COUNT({{EventSql.EffectiveIntensity}}) AS WithIntensity
        FROM event e
        WHERE {2} AND {0} = {1} AND e.date_start >= @from AND e.date_end <= @to
        GROUP BY Bucket, e.quad
        ORDER BY Bucket
        """;

    public const string Unplaced = """
        SELECT COUNT(*) FROM event e WHERE {2} AND {0} <> {1} AND e.date_end >= @from AND e.date_start <= @to
        """;

    public const string EventSpan = "SELECT MIN(e.date_start) AS First, MAX(e.date_end) AS Last FROM event e WHERE {0}";

    /// <summary>
    /// Agreement milestones and events of the pair as one row set (x) for the query layer. Default order:
    /// earliest day, then the precision of the date (year 0 before month 1 before day 2), kind, id,
    /// milestone order (Seq); Key (kind/id/milestone) is unique and the final tie-breaker. The first branch types
    /// Quad: PostgreSQL resolves a union's column types branch by branch, and NULLs alone would make it text.
    /// </summary>
    public const string TimelineRows = $$"""
        (SELECT u.*, CASE length(u.DateValue) WHEN 4 THEN 0 WHEN 7 THEN 1 ELSE 2 END AS PrecisionRank,
                u.Kind || '/' || u.Id || CASE WHEN u.Milestone IS NULL THEN '' ELSE '/' || u.Milestone END AS Key
         FROM (
            SELECT 'agreement' AS Kind, a.id AS Id, 'signed' AS Milestone, 1 AS Seq, a.signed_value AS DateValue, a.signed_to AS DateTo,
                   a.signed_inferred AS DateInferred, a.signed_start AS DateStart, a.signed_end AS DateEnd,
                   a.title AS Title, a.type AS Type, a.status AS Status, CAST(NULL AS BIGINT) AS Quad
            FROM agreement a WHERE a.signed_start IS NOT NULL AND {{AgreementOfPair}}
            UNION ALL
            SELECT 'agreement', a.id, 'inForce', 2, a.in_force_value, a.in_force_to, a.in_force_inferred, a.in_force_start, a.in_force_end, a.title, a.type, a.status, NULL
            FROM agreement a WHERE a.in_force_start IS NOT NULL AND {{AgreementOfPair}}
            UNION ALL
            SELECT 'agreement', a.id, 'validUntil', 3, a.valid_until_value, a.valid_until_to, a.valid_until_inferred, a.valid_until_start, a.valid_until_end, a.title, a.type, a.status, NULL
            FROM agreement a WHERE a.valid_until_start IS NOT NULL AND {{AgreementOfPair}}
            UNION ALL
            SELECT 'agreement', a.id, 'ended', 4, a.ended_value, a.ended_to, a.ended_inferred, a.ended_start, a.ended_end, a.title, a.type, a.status, NULL
            FROM agreement a WHERE a.ended_start IS NOT NULL AND {{AgreementOfPair}}
            UNION ALL
            SELECT 'event', e.id, NULL, 0, e.date_value, e.date_to, e.date_inferred, e.date_start, e.date_end, e.title, e.type, NULL, e.quad
            FROM event e WHERE {{EventOfPair}}
         ) u) x
        """;

    public const string TimelineColumns = """
        x.Kind AS Kind, x.Id AS Id, x.Milestone AS Milestone, x.Seq AS Seq, x.DateValue AS DateValue, x.DateTo AS DateTo,
        x.DateInferred AS DateInferred, x.DateStart AS DateStart, x.DateEnd AS DateEnd, x.PrecisionRank AS PrecisionRank,
        x.Key AS Key, x.Title AS Title, x.Type AS Type, x.Status AS Status, x.Quad AS Quad
        """;

    /// <summary>The subjects of the timeline's agreements and events, for subjects= paths, facets and subject=.</summary>
    private static readonly RelatedRows TimelineSubjects = new(
        "(SELECT 'agreement' AS kind, agreement_id AS item_id, subject FROM agreement_subject UNION ALL SELECT 'event', event_id, subject FROM event_subject) s",
        "s.kind = x.Kind AND s.item_id = x.Id");

    /// <summary>
    /// What filter=, sort=, facet= and fields= may use on the timeline. The row set needs @a and @b;
    /// <see cref="DyadEndpoints"/> binds them and scopes cursors to the (unordered) pair.
    /// </summary>
    public static readonly QueryResource TimelineQuery = new()
    {
        Name = "dyad-timeline",
        From = TimelineRows,
        Columns = TimelineColumns,
        Id = new("key", "x.Key", FieldType.Code) { Facetable = false, Example = "agreement/az-il-education-programme-2023-2026/signed" },
        Fields =
        [
            new("kind", "x.Kind", FieldType.Code),
            new("id", "x.Id", FieldType.Code) { Facetable = false, Example = "az-il-education-programme-2023-2026" },
            new("milestone", "x.Milestone", FieldType.Code) { Nullable = true },
            new("date", "x.DateStart", FieldType.Date) { EndSql = "x.DateEnd" },
            new("title", "x.Title", FieldType.Text) { Facetable = false, Example = "Israel opens its embassy in Baku" },
            new("type", "x.Type", FieldType.Code),
            new("status", "x.Status", FieldType.Code) { Nullable = true },
            new("quad", "x.Quad", FieldType.Integer) { Nullable = true },
            QueryField.InRelated("subjects", "s.subject", FieldType.Code, TimelineSubjects) with { Example = "education" },
        ],
        OrderFields =
        [
            new("precisionRank", "x.PrecisionRank", FieldType.Integer),
            new("seq", "x.Seq", FieldType.Integer),
        ],
        DefaultSort = ["date", "precisionRank", "kind", "id", "seq"],
        FilterExample = "kind eq 'event' and quad ge 3",
        // q= searches the agreement or event behind each item (every milestone of a matching agreement matches).
        FullText = [TextTable.Agreements, TextTable.Events],
        FullTextOn = "fts.fts_kind = x.Kind AND fts.fts_id = x.Id",
        SearchFields = ["title", "summary", "place", "notes"],
    };

    public const string TimelineSubject = """
        ((x.Kind = 'agreement' AND EXISTS (SELECT 1 FROM agreement_subject s WHERE s.agreement_id = x.Id AND s.subject IN {0}))
         OR (x.Kind = 'event' AND EXISTS (SELECT 1 FROM event_subject s WHERE s.event_id = x.Id AND s.subject IN {0})))
        """;
}

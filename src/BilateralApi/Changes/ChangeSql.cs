namespace BilateralApi.Changes;

public static class ChangeSql
{
    private const string Columns = "seq AS Seq, resource AS Resource, record_id AS RecordId, action AS Action, version AS Version, changed_at AS ChangedAt, key_id AS KeyId, data AS Data, NULL AS Import";

    public const string Feed = $"""
        SELECT {Columns} FROM change_log
        WHERE seq > @afterSeq AND changed_at >= @fromTime AND (@resource IS NULL OR resource = @resource)
        ORDER BY seq LIMIT @limit
        """;

    public const string History = $"""
        SELECT {Columns} FROM change_log
        WHERE resource = @resource AND record_id = @id AND seq > @afterSeq AND changed_at >= @fromTime
        ORDER BY seq LIMIT @limit
        """;

    public const string RecordHasHistory = "SELECT EXISTS (SELECT 1 FROM change_log WHERE resource = @resource AND record_id = @id)";

    /// <summary>
    /// The versions of one trade record that bulk imports wrote (decisions 0029, 0037), shaped as change rows
    /// that name their import: created at version 1 inside one of an import's id ranges, or written at the
    /// version trade_record_import names. CROSS JOIN keeps the join order: the few import entries first
    /// (partial index ix_change_log_import), each then one seek into the range's or the version's key.
    /// </summary>
    private const string ImportedVersions = """
        SELECT c.seq AS Seq, c.resource AS Resource, @id AS RecordId, 'create' AS Action,
               1 AS Version, c.changed_at AS ChangedAt, c.key_id AS KeyId, NULL AS Data, c.record_id AS Import
        FROM change_log c CROSS JOIN trade_import_range g
        WHERE c.action = 'import' AND c.resource = @resource AND g.import_seq = c.seq AND g.first_id <= @recordNumber AND g.last_id >= @recordNumber
        UNION ALL
        SELECT c.seq AS Seq, c.resource AS Resource, @id AS RecordId, CASE r.created WHEN 1 THEN 'create' ELSE 'update' END AS Action,
               r.version AS Version, c.changed_at AS ChangedAt, c.key_id AS KeyId, NULL AS Data, c.record_id AS Import
        FROM change_log c CROSS JOIN trade_record_import r
        WHERE c.action = 'import' AND c.resource = @resource AND r.import_seq = c.seq AND r.record_id = @recordNumber
        """;

    /// <summary>A trade record's history: its single writes and the versions imports wrote, in order.</summary>
    public const string TradeHistory = $"""
        SELECT * FROM (
            SELECT {Columns} FROM change_log WHERE resource = @resource AND record_id = @id
            UNION ALL
            {ImportedVersions}
        ) AS versions
        WHERE Seq > @afterSeq AND ChangedAt >= @fromTime
        ORDER BY Seq, Version LIMIT @limit
        """;

    public const string TradeRecordHasHistory = $"SELECT EXISTS (SELECT 1 FROM change_log WHERE resource = @resource AND record_id = @id) OR EXISTS ({ImportedVersions})";
}

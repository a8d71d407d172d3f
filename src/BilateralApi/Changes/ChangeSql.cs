namespace BilateralApi.Changes;

public static class ChangeSql
{
    private const string Columns = "seq AS Seq, resource AS Resource, record_id AS RecordId, action AS Action, version AS Version, changed_at AS ChangedAt, key_id AS KeyId, data AS Data";

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
}

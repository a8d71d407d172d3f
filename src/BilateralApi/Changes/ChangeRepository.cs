using System.Globalization;
using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using BilateralApi.TradeRecords;
using Dapper;

namespace BilateralApi.Changes;

/// <summary>A change_log row as stored.</summary>
public sealed class ChangeRow
{
    public long Seq { get; set; }
    public string Resource { get; set; } = "";
    public string RecordId { get; set; } = "";
    public string Action { get; set; } = "";
    public long Version { get; set; }
    public string ChangedAt { get; set; } = "";
    public string? KeyId { get; set; }
    public string? Data { get; set; }
    public string? Import { get; set; }

    public ChangeEntry ToResponse() => new(Seq, Resource, RecordId, Action, Version, Clock.Parse(ChangedAt), KeyId,
        Data is null ? null : JsonDocument.Parse(Data).RootElement.Clone(), Import);
}

/// <summary>Reads the change log that <see cref="ChangeLog"/> writes.</summary>
public sealed class ChangeRepository(IStoreConnections connections)
{
    public async Task<List<ChangeRow>> FeedAsync(long afterSeq, string fromTime, string? resource, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(ChangeSql.Feed,
            new { afterSeq, fromTime, resource, limit = limit + 1 }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>The stored versions of one record, oldest first; null when the record never existed.</summary>
    public async Task<List<ChangeRow>?> HistoryAsync(string resource, string id, long afterSeq, string fromTime, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Trade records' ids are integers; bulk imports record the versions they wrote by that number.
        var imported = resource == TradeRecordRepository.Resource && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var recordNumber)
            ? recordNumber
            : (long?)null;
        var hasHistory = imported is null ? ChangeSql.RecordHasHistory : ChangeSql.TradeRecordHasHistory;
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(hasHistory, new { resource, id, recordNumber = imported }, cancellationToken: cancellationToken)))
        {
            return null;
        }
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(imported is null ? ChangeSql.History : ChangeSql.TradeHistory,
            new { resource, id, recordNumber = imported, afterSeq, fromTime, limit = limit + 1 }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>The newest seq (0 when nothing was written): every write raises it.</summary>
    public async Task<long> LatestSeqAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(ChangeLog.LatestSeq, cancellationToken: cancellationToken));
    }
}

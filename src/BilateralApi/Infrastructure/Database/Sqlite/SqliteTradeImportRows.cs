using BilateralApi.Infrastructure.Import;
using BilateralApi.TradeRecords;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// Records which rows an import wrote (decision 0037): the rows it created at version 1 as id ranges in
/// trade_import_range (an import hands out consecutive ids, so a file of new rows is one range, written
/// once at the end), every other written version (an update, or a row created under a reused id, whose
/// version continues after the deleted row's) as a row of trade_record_import; and the id ranges for the
/// import's change-log entry.
/// </summary>
internal sealed class TradeImportRows(WriteScope scope, ChangeLog.BulkImport entry) : IDisposable
{
    private RawStatement? _insert;
    private readonly TradeImportRanges _ranges = new();

    public long? Seq => entry.Seq;

    public void Add(long id, long version, bool created)
    {
        var seq = entry.Append();
        if (!_ranges.Add(id, version, created))
        {
            return;
        }
        if (_insert is null)
        {
            // Positions 1-4 as the statement lists them: import_seq, record_id, version, created.
            _insert = new RawStatement(scope.Connection, SqliteTradeImportSql.RecordImportedVersion);
            _insert.Bind(1, seq);
        }
        _insert.Bind(2, id);
        _insert.Bind(3, version);
        _insert.Bind(4, created ? 1L : 0L);
        _insert.Execute();
    }

    /// <summary>Writes the created ranges and the change-log entry's description (nothing when the import stored nothing).</summary>
    public void Complete(ImportReport report, ImportOptions options, string format)
    {
        if (entry.Seq is { } seq && _ranges.CreatedFirstVersions.Count > 0)
        {
            using var range = new RawStatement(scope.Connection, SqliteTradeImportSql.RecordCreatedRange);
            range.Bind(1, seq);
            foreach (var ids in _ranges.CreatedFirstVersions)
            {
                range.Bind(2, ids[0]);
                range.Bind(3, ids[1]);
                range.Execute();
            }
        }
        entry.Complete(_ranges.Change(report, options, format), TradeImportRanges.Type);
    }

    public void Dispose() => _insert?.Dispose();
}


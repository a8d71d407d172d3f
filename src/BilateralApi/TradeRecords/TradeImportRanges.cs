using System.ComponentModel;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Import;

namespace BilateralApi.TradeRecords;

/// <summary>
/// The data of a trade import's one change-log entry (action import): the import as a release. The
/// rows it wrote are id ranges, [first, last] inclusive, ascending: an import into a table inserts one
/// run of consecutive ids, so a BACI year is one range, not millions of entries (decision 0029).
/// </summary>
public sealed record TradeImportChange(
    [property: Description("The source (dataset release) the rows were imported for; absent when the rows name their sources.")] string? SourceId,
    [property: Description("The imported file's name, when known.")] string? FileName,
    [property: Description("What the file was read as: comtrade, comtrade-legacy, baci, comtrade-json, ndjson or json.")] string Format,
    [property: Description("insert, upsert or skip-existing.")] string Mode,
    long Rows, long Inserted, long Updated, long Unchanged, long Skipped, long Rejected,
    IReadOnlyDictionary<string, long> SkippedByReason,
    [property: Description("Ids of the rows the import created, as [first, last] ranges.")] IReadOnlyList<long[]> CreatedIds,
    [property: Description("Ids of the rows the import changed, as [first, last] ranges.")] IReadOnlyList<long[]> UpdatedIds);

/// <summary>
/// The ids one import wrote, as ascending [first, last] ranges, on either store: created, updated (for the
/// change-log entry, decision 0029) and created at version 1 (trade_import_range, decision 0037).
/// </summary>
public sealed class TradeImportRanges
{
    private readonly List<long[]> _created = [];
    private readonly List<long[]> _updated = [];

    /// <summary>The runs of ids created at version 1: trade_import_range's rows.</summary>
    public List<long[]> CreatedFirstVersions { get; } = [];

    /// <summary>Counts a written version; true when a range cannot say it (an update, or a created row whose version continues a deleted one's): a trade_record_import row.</summary>
    public bool Add(long id, long version, bool created)
    {
        Extend(created ? _created : _updated, id);
        if (created && version == 1)
        {
            Extend(CreatedFirstVersions, id);
            return false;
        }
        return true;
    }

    /// <summary>Extends the last range when <paramref name="id"/> continues it (or is in it: a row updated twice), else starts one.</summary>
    private static void Extend(List<long[]> ranges, long id)
    {
        if (ranges.Count > 0 && ranges[^1] is var last && id >= last[0] && id <= last[1] + 1)
        {
            last[1] = Math.Max(last[1], id);
            return;
        }
        ranges.Add([id, id]);
    }

    /// <summary>The import's change-log entry: the import as a release.</summary>
    public TradeImportChange Change(ImportReport report, ImportOptions options, string format) =>
        new(options.SourceId, options.FileName, format, report.Mode,
            report.Rows, report.Inserted, report.Updated, report.Unchanged, report.Skipped, report.Rejected,
            report.SkippedByReason, _created, _updated);

    public static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<TradeImportChange> Type = ChangeLog.TypeInfo<TradeImportChange>();
}

using System.ComponentModel;
using System.Text.Json.Serialization;

namespace BilateralApi.Infrastructure.Import;

/// <summary>What an import does with a row whose key (natural key or id) is already stored.</summary>
public enum ImportMode
{
    /// <summary>A row whose key exists is rejected.</summary>
    Insert,

    /// <summary>A row whose key exists replaces the stored one when anything differs (its version is bumped); identical rows are left alone.</summary>
    Upsert,

    /// <summary>A row whose key exists is skipped; the stored one is kept.</summary>
    SkipExisting,
}

/// <summary>The body formats an import reads.</summary>
public enum ImportFormat
{
    Csv,
    Ndjson,
    JsonArray,
}

/// <summary>The options of one import (query parameters of the HTTP endpoints, options of the CLI command).</summary>
public sealed record ImportOptions(ImportMode Mode, bool Atomic, bool DryRun, string? SourceId)
{
    /// <summary>The imported file's name (the CLI's file, an upload's Content-Disposition), recorded in the import's change-log entry.</summary>
    public string? FileName { get; init; }

    /// <summary>Rejected rows listed in full; beyond that only counted.</summary>
    public const int MaxListedRejections = 100;

    /// <summary>Reasons listed per rejected row (a row with a list of 90,000 bad codes has as many); beyond that only counted.</summary>
    public const int MaxListedErrorsPerRow = 100;

    /// <summary>Per-row results listed in a 207 answer; beyond that only counted, so the answer stays small whatever the file size.</summary>
    public const int MaxListedResults = 10_000;

    public static readonly ImportOptions Default = new(ImportMode.Insert, Atomic: true, DryRun: false, SourceId: null);
}

/// <summary>One reason a row was rejected.</summary>
public sealed record ImportError(
    [property: Description("The member of the write shape the reason is about (camelCase JSON name), or '$' for the whole row.")] string Field,
    [property: Description("The CSV column the value came from (as spelled in the file's header); null for JSON rows.")] string? Column,
    [property: Description("What is wrong, in words a user can act on.")] string Message);

/// <summary>A rejected row with every reason found.</summary>
public sealed record ImportRejection(
    [property: Description("1-based number of the data row (the CSV header and blank lines are not counted; for a JSON array the element number).")] long Row,
    [property: Description("1-based line of the file where the row starts (CSV, NDJSON); null for JSON arrays.")] long? Line,
    [property: Description("The reasons, at most 100.")] IReadOnlyList<ImportError> Errors,
    [property: Description("Reasons beyond the 100 listed (0 when all are listed).")] long ErrorsOmitted);

/// <summary>What happened to one row (207 answers of non-atomic imports).</summary>
public sealed record ImportRowResult(
    [property: Description("1-based data row number.")] long Row,
    [property: Description("1-based line where the row starts; null for JSON arrays.")] long? Line,
    [property: Description("inserted, updated, unchanged (upsert of an identical row), skipped (skip-existing, or a row the store keeps no such row for: see skippedByReason) or rejected.")] string Outcome,
    [property: Description("Id of the record written or found; null for rejected rows.")] string? Id);

/// <summary>The answer of an import: counts, rejected rows (the first 100, then a count) and, for non-atomic imports, per-row results.</summary>
public sealed record ImportReport
{
    [Description("The resource imported, e.g. trade-records.")]
    public required string Resource { get; init; }

    [Description("insert, upsert or skip-existing.")]
    public required string Mode { get; init; }

    public required bool Atomic { get; init; }

    public required bool DryRun { get; init; }

    [Description("True when the rows counted as inserted/updated are stored; false for a dry run and for an atomic import that had a rejected row (then nothing is stored).")]
    public required bool Committed { get; init; }

    [Description("Data rows read.")]
    public long Rows { get; init; }

    public long Inserted { get; init; }

    public long Updated { get; init; }

    [Description("Upserted rows identical to the stored record: nothing written, version unchanged.")]
    public long Unchanged { get; init; }

    [Description("Rows whose key already existed in skip-existing mode.")]
    public long Skipped { get; init; }

    public long Rejected { get; init; }

    [Description("The first 100 rejected rows with their reasons.")]
    public required IReadOnlyList<ImportRejection> RejectedRows { get; init; }

    [Description("Rejected rows beyond those listed.")]
    public long RejectedNotListed { get; init; }

    [Description("Non-atomic imports only: what happened to each row, for the first 10,000 rows.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ImportRowResult>? Results { get; init; }

    [Description("Non-atomic imports only: rows beyond those listed in results.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ResultsNotListed { get; init; }

    [Description("The import's one entry in the change feed (GET /v1/changes): its seq. The entry (action import, id import-{seq}) describes the import and the id ranges it created and updated; each stored row's history names it. Absent when nothing was stored.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ChangeSeq { get; init; }

    [Description("Rows read but not stored because the store keeps no such row, counted per reason (not in skipped, never rejected): services (typeCode S, EBOPS), secondPartnerBreakdown, customsProcedureBreakdown, modeOfSupplyBreakdown, subFlow (Comtrade's domestic exports, foreign imports, processing flows). Empty when none.")]
    public IReadOnlyDictionary<string, long> SkippedByReason { get; init; } = new Dictionary<string, long>();
}

/// <summary>Progress of a running import, reported every few thousand rows (the CLI shows rows/s and an ETA from it).</summary>
public readonly record struct ImportProgress(long Rows, long BytesRead);

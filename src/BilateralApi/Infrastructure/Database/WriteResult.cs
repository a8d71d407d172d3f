using BilateralApi.Infrastructure.Http;

namespace BilateralApi.Infrastructure.Database;

public enum WriteStatus
{
    Created,
    Updated,
    /// <summary>The record exists with exactly the content written: nothing stored, the version stays.</summary>
    Unchanged,
    Deleted,
    NotFound,
    PreconditionRequired,
    PreconditionFailed,
    AlreadyExists,
    InUse,
}

/// <summary>A stored row with a version (its ETag).</summary>
public interface IVersionedRow
{
    long Version { get; }
}

/// <summary>What a repository write did, with the stored row when there is one.</summary>
public sealed record WriteResult<TRow>(WriteStatus Status, TRow? Row = default);

public static class WriteResult
{
    /// <summary>
    /// Whether a replacement would store what is already stored: both rows rendered as their write shape
    /// (canonical after normalisation: alpha-3 countries, derived fields left out) and compared as JSON,
    /// numbers by value (a stored 1600000000.00 equals a written 1600000000). A write that changes nothing
    /// is not a new version (decision 0018).
    /// </summary>
    public static bool SameContent<TWrite>(TWrite stored, TWrite next) =>
        System.Text.Json.JsonElement.DeepEquals(System.Text.Json.JsonSerializer.SerializeToElement(stored), System.Text.Json.JsonSerializer.SerializeToElement(next));

    /// <summary>The write status for a precondition that stopped a write.</summary>
    public static WriteStatus Refused(Preconditions.Outcome outcome) =>
        outcome == Preconditions.Outcome.Required ? WriteStatus.PreconditionRequired : WriteStatus.PreconditionFailed;
}

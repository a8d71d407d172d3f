using BilateralApi.Infrastructure.Http;

namespace BilateralApi.Infrastructure.Database;

public enum WriteStatus
{
    Created,
    Updated,
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
    /// <summary>The write status for a precondition that stopped a write.</summary>
    public static WriteStatus Refused(Preconditions.Outcome outcome) =>
        outcome == Preconditions.Outcome.Required ? WriteStatus.PreconditionRequired : WriteStatus.PreconditionFailed;
}

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

    /// <summary>
    /// Where every delete starts, inside its write transaction: the row's current version by @id, or the status
    /// that stops the delete (no such row; the request's preconditions refuse it).
    /// </summary>
    public static async Task<(WriteStatus? Stop, long Version)> DeletableVersionAsync(IWriteScope scope, string versionOfSql, object id,
        Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
    {
        var version = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<long?>(scope.Connection,
            new Dapper.CommandDefinition(versionOfSql, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        if (version is null)
        {
            return (WriteStatus.NotFound, 0);
        }
        var outcome = precondition(version);
        return outcome == Preconditions.Outcome.Proceed ? (null, version.Value) : (Refused(outcome), version.Value);
    }

    /// <summary>The write status for a precondition that stopped a write.</summary>
    public static WriteStatus Refused(Preconditions.Outcome outcome) =>
        outcome == Preconditions.Outcome.Required ? WriteStatus.PreconditionRequired : WriteStatus.PreconditionFailed;
}

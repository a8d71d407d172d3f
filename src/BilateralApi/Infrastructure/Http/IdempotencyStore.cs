using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using Dapper;

namespace BilateralApi.Infrastructure.Http;

/// <summary>What a claim on an Idempotency-Key found.</summary>
public enum IdempotencyOutcome
{
    /// <summary>The key is this request's now: run it.</summary>
    Proceed,

    /// <summary>The key's request finished: serve its stored response.</summary>
    Replay,

    /// <summary>The key was used for another request.</summary>
    Mismatch,

    /// <summary>The key's first request still runs (somewhere).</summary>
    InFlight,
}

/// <summary>The outcome of a claim, with the stored response when it is a replay.</summary>
public sealed record IdempotencyClaim(IdempotencyOutcome Outcome, StoredIdempotentResponse? Stored = null);

/// <summary>An idempotency record as stored.</summary>
public sealed class StoredIdempotentResponse
{
    public string RequestHash { get; set; } = "";
    public string State { get; set; } = "";
    public long? Status { get; set; }
    public string? Headers { get; set; }
    public byte[]? Body { get; set; }
    public string LockedUntil { get; set; } = "";
    public string ExpiresAt { get; set; } = "";
}

/// <summary>
/// The idempotency records of <see cref="IdempotencyMiddleware"/>, in the database so that every instance on it
/// sees them. A claim reads, checks and takes a key in one write transaction, which holds the store's write
/// lock (<see cref="IStoreConnections.BeginWriteAsync"/>): of two requests claiming one key at once, on one
/// instance or two, one takes it and the other finds it running. The statements read the same in SQLite and
/// PostgreSQL (decision 0038).
/// </summary>
public sealed class IdempotencyStore(IStoreConnections connections, TimeProvider time)
{
    /// <summary>How long a finished response is replayed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A first request that never finished (process killed) stops blocking its key after this.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Takes <paramref name="key"/> for a request, or says why not. Expired records are deleted on the way.</summary>
    public async Task<IdempotencyClaim> ClaimAsync(string owner, string key, string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowText = Clock.Format(now);
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var existing = await scope.Connection.QuerySingleOrDefaultAsync<StoredIdempotentResponse>(new CommandDefinition(
            """
            SELECT request_hash AS RequestHash, state AS State, status AS Status, headers AS Headers, body AS Body,
                   locked_until AS LockedUntil, expires_at AS ExpiresAt
            FROM idempotency_record WHERE key_id = @owner AND idempotency_key = @key
            """, new { owner, key }, scope.Transaction, cancellationToken: cancellationToken));
        if (existing is not null && string.CompareOrdinal(existing.ExpiresAt, nowText) > 0)
        {
            if (existing.RequestHash != hash)
            {
                return new(IdempotencyOutcome.Mismatch);
            }
            if (existing.State == "done")
            {
                return new(IdempotencyOutcome.Replay, existing);
            }
            if (string.CompareOrdinal(existing.LockedUntil, nowText) > 0)
            {
                return new(IdempotencyOutcome.InFlight);
            }
        }
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_record WHERE expires_at <= @nowText OR (key_id = @owner AND idempotency_key = @key)",
            new { nowText, owner, key }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO idempotency_record (key_id, idempotency_key, request_hash, state, created_at, locked_until, expires_at)
            VALUES (@owner, @key, @hash, 'running', @nowText, @lockedUntil, @expiresAt)
            """,
            new { owner, key, hash, nowText, lockedUntil = Clock.Format(now + LockTimeout), expiresAt = Clock.Format(now + Retention) },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return new(IdempotencyOutcome.Proceed);
    }

    /// <summary>Stores the response of the key's request, to be replayed.</summary>
    public async Task CompleteAsync(string owner, string key, int status, IReadOnlyDictionary<string, string> headers, byte[] body, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE idempotency_record SET state = 'done', status = @status, headers = @headers, body = @body
            WHERE key_id = @owner AND idempotency_key = @key
            """,
            new { owner, key, status, headers = JsonSerializer.Serialize(headers), body },
            scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>Frees a key whose request is not to be replayed (a server error, a rate-limit refusal), so the client may retry.</summary>
    public async Task ReleaseAsync(string owner, string key, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_record WHERE key_id = @owner AND idempotency_key = @key AND state = 'running'",
            new { owner, key }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }
}

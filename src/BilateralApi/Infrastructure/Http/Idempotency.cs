using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Security;
using Dapper;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// Idempotency-Key on the endpoints that declare it (<see cref="EndpointBehaviours.WithIdempotency"/>: every
/// POST), per API key (IETF draft httpapi-idempotency-key-header): the first request
/// with a key runs and its response (status, the headers a client needs, body) is stored with a hash
/// of the request; a repeat within 24 h gets the stored response with <c>Idempotent-Replayed: true</c>,
/// a repeat with another request is 422, a repeat while the first still runs is 409. Server errors
/// (5xx) and rate-limit refusals are not stored, so the client may retry them with the same key.
/// Expired records are deleted whenever a new key is taken.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, SqliteConnectionFactory connections, TimeProvider time, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A first request that never finished (process killed) stops blocking its key after this.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] StoredHeaders = ["Content-Type", "Location", "ETag", "Link"];

    public async Task InvokeAsync(HttpContext http)
    {
        // The endpoint declares it (WithIdempotency), so no spelling of the path can route around it.
        if (http.GetEndpoint()?.Metadata.GetMetadata<Idempotency>() is null || !http.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            await next(http);
            return;
        }
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x20 || c > 0x7e))
        {
            await ProblemAsync(http, 400, Problems.InvalidParameter, "Invalid Idempotency-Key",
                $"Send one Idempotency-Key of 1 to {MaxKeyLength} printable ASCII characters (a UUID is a good choice).");
            return;
        }
        var owner = ApiKeyClaims.KeyId(http.User) ?? "anonymous";
        var hash = await RequestHashAsync(http.Request);

        var claim = await ClaimAsync(owner, key, hash, http.RequestAborted);
        switch (claim.Outcome)
        {
            case ClaimOutcome.Mismatch:
                await ProblemAsync(http, 422, Problems.IdempotencyKeyMismatch, "Idempotency key reused",
                    "This Idempotency-Key was used for a different request; use a new key for a new request.");
                return;
            case ClaimOutcome.InFlight:
                http.Response.Headers.RetryAfter = "1";
                await ProblemAsync(http, 409, Problems.IdempotencyKeyInUse, "Request in progress",
                    "A request with this Idempotency-Key is still being processed; retry after the time in Retry-After.");
                return;
            case ClaimOutcome.Replay:
                await ReplayAsync(http, claim.Stored!);
                return;
        }

        var originalBody = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(http);
            completed = true;
        }
        finally
        {
            http.Response.Body = originalBody;
            var status = http.Response.StatusCode;
            var keep = completed && status < 500 && status != StatusCodes.Status429TooManyRequests;
            try
            {
                // Not the request's token: the outcome must be stored (or released) even if the client left.
                await FinishAsync(owner, key, keep ? http.Response : null, buffer.ToArray(), CancellationToken.None);
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Could not store the idempotent response of {Path}", http.Request.Path);
            }
            if (completed)
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(originalBody, http.RequestAborted);
            }
        }
    }

    private enum ClaimOutcome
    {
        Proceed,
        Replay,
        Mismatch,
        InFlight,
    }

    private sealed record Claim(ClaimOutcome Outcome, StoredResponse? Stored = null);

    private sealed class StoredResponse
    {
        public string RequestHash { get; set; } = "";
        public string State { get; set; } = "";
        public long? Status { get; set; }
        public string? Headers { get; set; }
        public byte[]? Body { get; set; }
        public string LockedUntil { get; set; } = "";
        public string ExpiresAt { get; set; } = "";
    }

    private async Task<Claim> ClaimAsync(string owner, string key, string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowText = Clock.Format(now);
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var existing = await scope.Connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(
            """
            SELECT request_hash AS RequestHash, state AS State, status AS Status, headers AS Headers, body AS Body,
                   locked_until AS LockedUntil, expires_at AS ExpiresAt
            FROM idempotency_record WHERE key_id = @owner AND idempotency_key = @key
            """, new { owner, key }, scope.Transaction, cancellationToken: cancellationToken));
        if (existing is not null && string.CompareOrdinal(existing.ExpiresAt, nowText) > 0)
        {
            if (existing.RequestHash != hash)
            {
                return new(ClaimOutcome.Mismatch);
            }
            if (existing.State == "done")
            {
                return new(ClaimOutcome.Replay, existing);
            }
            if (string.CompareOrdinal(existing.LockedUntil, nowText) > 0)
            {
                return new(ClaimOutcome.InFlight);
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
        return new(ClaimOutcome.Proceed);
    }

    private async Task FinishAsync(string owner, string key, HttpResponse? response, byte[] body, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        if (response is null)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM idempotency_record WHERE key_id = @owner AND idempotency_key = @key AND state = 'running'",
                new { owner, key }, scope.Transaction, cancellationToken: cancellationToken));
        }
        else
        {
            var headers = StoredHeaders
                .Where(h => response.Headers.ContainsKey(h))
                .ToDictionary(h => h, h => response.Headers[h].ToString());
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE idempotency_record SET state = 'done', status = @status, headers = @headers, body = @body
                WHERE key_id = @owner AND idempotency_key = @key
                """,
                new { owner, key, status = response.StatusCode, headers = JsonSerializer.Serialize(headers), body },
                scope.Transaction, cancellationToken: cancellationToken));
        }
        await scope.CommitAsync(cancellationToken);
    }

    private static async Task ReplayAsync(HttpContext http, StoredResponse stored)
    {
        http.Response.StatusCode = (int)(stored.Status ?? 200);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(stored.Headers ?? "{}") ?? [];
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }
        http.Response.Headers[ReplayedHeader] = "true";
        if (stored.Body is { Length: > 0 } body)
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>SHA-256 of method, path, query, content type and body; the body is read once and buffered (to disk when large).</summary>
    private static async Task<string> RequestHashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{request.QueryString}\n{request.ContentType}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task ProblemAsync(HttpContext http, int status, string code, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BilateralApi.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// Idempotency-Key on the endpoints that declare it (<see cref="EndpointBehaviours.WithIdempotency"/>: every
/// POST), per API key (IETF draft httpapi-idempotency-key-header): the first request
/// with a key runs and its response (status, the headers a client needs, body) is stored with a hash
/// of the request; a repeat within 24 h gets the stored response with <c>Idempotent-Replayed: true</c>,
/// a repeat with another request is 422, a repeat while the first still runs is 409. Server errors
/// (5xx) and rate-limit refusals are not stored, so the client may retry them with the same key.
/// Expired records are deleted whenever a new key is taken. The records live in the database
/// (<see cref="IdempotencyStore"/>), so a replay hits on any instance serving it.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;
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

        var claim = await store.ClaimAsync(owner, key, hash, http.RequestAborted);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.Mismatch:
                await ProblemAsync(http, 422, Problems.IdempotencyKeyMismatch, "Idempotency key reused",
                    "This Idempotency-Key was used for a different request; use a new key for a new request.");
                return;
            case IdempotencyOutcome.InFlight:
                http.Response.Headers.RetryAfter = "1";
                await ProblemAsync(http, 409, Problems.IdempotencyKeyInUse, "Request in progress",
                    "A request with this Idempotency-Key is still being processed; retry after the time in Retry-After.");
                return;
            case IdempotencyOutcome.Replay:
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
                if (keep)
                {
                    var headers = StoredHeaders
                        .Where(h => http.Response.Headers.ContainsKey(h))
                        .ToDictionary(h => h, h => http.Response.Headers[h].ToString());
                    await store.CompleteAsync(owner, key, status, headers, buffer.ToArray(), CancellationToken.None);
                }
                else
                {
                    await store.ReleaseAsync(owner, key, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
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

    private static async Task ReplayAsync(HttpContext http, StoredIdempotentResponse stored)
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

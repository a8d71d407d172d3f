using BilateralApi.Infrastructure.Security;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BilateralApi.Infrastructure.Http;

/// <summary>What a header holds, so the OpenAPI document can give it an exact schema.</summary>
public enum HeaderKind
{
    Text,
    EntityTag,
    Location,
    Count,
    True,
}

/// <summary>A header that a behaviour reads (request) or writes on the answers with the given statuses (response).</summary>
public sealed record BehaviourHeader(string Name, string Description, HeaderKind Kind = HeaderKind.Text, string? Example = null, params int[] Statuses);

/// <summary>
/// Endpoint metadata for a behaviour that shared code enforces (conditional GET, If-Match, idempotency,
/// rate budget, body limit). The runtime rule reads the same object from the endpoint, and the OpenAPI
/// document describes exactly the headers it lists; its statuses are declared with ASP.NET Core's own
/// response metadata by the extension that attaches it (<see cref="EndpointBehaviours"/>), so the two
/// cannot drift apart.
/// </summary>
public interface IEndpointBehaviour
{
    IReadOnlyList<BehaviourHeader> RequestHeaders { get; }

    IReadOnlyList<BehaviourHeader> ResponseHeaders { get; }
}

/// <summary>If-None-Match on a GET answers 304 while the ETag is current: the item's version (strong) or the store's (lists, weak).</summary>
public sealed record ConditionalGet(bool Weak) : IEndpointBehaviour
{
    public IReadOnlyList<BehaviourHeader> RequestHeaders => Weak
        ? [new("If-None-Match", "The weak ETag of a list fetched before; the answer is 304 while no data has changed.", HeaderKind.Text, "W/\"42-0a1b2c3d\"")]
        : [new("If-None-Match", "ETag(s) the client has; the answer is 304 when one is current.", HeaderKind.Text, "\"3\"")];

    public IReadOnlyList<BehaviourHeader> ResponseHeaders => Weak
        ? [new("ETag", "Weak ETag of the list: changes whenever any stored data changes.", HeaderKind.EntityTag, null, 200, 304)]
        : [new("ETag", "The item's version, for If-None-Match and If-Match.", HeaderKind.EntityTag, null, 200, 304)];
}

/// <summary>
/// Writes that change a stored record name its version in If-Match (428 without, 412 when stale);
/// <see cref="CreateOnly"/>: If-None-Match: * makes a PUT create only.
/// </summary>
public sealed record IfMatchPrecondition(bool CreateOnly) : IEndpointBehaviour
{
    public IReadOnlyList<BehaviourHeader> RequestHeaders => CreateOnly
        ?
        [
            new("If-Match", "Current ETag of the record; required to replace an existing record.", HeaderKind.Text, "\"3\""),
            new("If-None-Match", "'*' to create only (412 when the record exists).", HeaderKind.Text, "*"),
        ]
        : [new("If-Match", "Current ETag of the record (required).", HeaderKind.Text, "\"3\"")];

    public IReadOnlyList<BehaviourHeader> ResponseHeaders => [new("ETag", "The item's new version.", HeaderKind.EntityTag, null, 200, 201)];
}

/// <summary>Idempotency-Key on a POST: a repeat gets the stored answer (<see cref="IdempotencyMiddleware"/>).</summary>
public sealed record Idempotency : IEndpointBehaviour
{
    public static readonly Idempotency Instance = new();

    public IReadOnlyList<BehaviourHeader> RequestHeaders =>
    [
        new(IdempotencyMiddleware.HeaderName,
            "Makes a retry safe: a repeat with the same key and body within 24 h gets the stored response (Idempotent-Replayed: true) instead of a second write. 1 to 255 printable characters; a UUID is a good choice.",
            HeaderKind.Text, "5f0c6d3e-8f0a-4e59-9d6b-2d9f1b7f6a10"),
    ];

    public IReadOnlyList<BehaviourHeader> ResponseHeaders =>
    [
        new(IdempotencyMiddleware.ReplayedHeader, "'true' when this is the stored response of an earlier request with the same Idempotency-Key.", HeaderKind.True, null, 200, 201, 207),
        new("Retry-After", "Seconds to wait while a request with the same Idempotency-Key is still running.", HeaderKind.Count, null, 409),
    ];
}

/// <summary>Which configured body limit applies: ordinary writes (Security:MaxBodyBytes) or imports (Security:MaxImportBodyBytes).</summary>
public enum BodyLimit
{
    Standard,
    Import,
}

/// <summary>
/// The largest request body an endpoint reads, resolved from configuration when the endpoint is built.
/// ASP.NET Core's own <see cref="IRequestSizeLimitMetadata"/>: routing sets the server's body-size
/// feature from it, and <see cref="HttpHardening.UseBodyLimits"/> refuses a larger Content-Length at once.
/// </summary>
public sealed record BodyLimitMetadata(BodyLimit Kind, long Bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => Bytes;
}

/// <summary>
/// The extensions that declare a behaviour on an endpoint or a route group: each attaches the one
/// metadata object its runtime rule reads, and declares the statuses it can answer with ASP.NET Core's
/// response metadata (with their meaning as the description), which is what the OpenAPI document shows.
/// </summary>
public static class EndpointBehaviours
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Declares a problem+json answer with its meaning: ASP.NET Core's response metadata, with the description its ProducesProblem cannot give.</summary>
    public static TBuilder AnswersProblem<TBuilder>(this TBuilder builder, int status, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ProblemJson]) { Description = description });

    private static TBuilder Produces<TBuilder>(this TBuilder builder, int status, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(void)) { Description = description });

    /// <summary>An item GET whose handler sets the ETag: If-None-Match with a current tag answers 304 (weak comparison).</summary>
    public static RouteHandlerBuilder WithConditionalGet(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ConditionalGet(Weak: false))
            .Produces(StatusCodes.Status304NotModified, "Not modified: the ETag in If-None-Match is current.")
            .AddEndpointFilter(async (invocation, next) =>
            {
                var result = await next(invocation);
                var http = invocation.HttpContext;
                return IsOk(result) && http.Response.Headers.ETag is { Count: 1 } etag && NoneMatch(http.Request, etag.ToString())
                    ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                    : result;
            });

    /// <summary>A list whose answer carries the store's weak ETag; a current If-None-Match answers 304 without running the query.</summary>
    public static RouteHandlerBuilder WithListETag(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ConditionalGet(Weak: true))
            .Produces(StatusCodes.Status304NotModified, "Not modified: no data has changed since the ETag in If-None-Match.")
            .AddEndpointFilter(CollectionETags.InvokeAsync);

    /// <summary>PUT/PATCH/DELETE of a stored record need If-Match (checked in the write transaction by <see cref="Preconditions"/>).</summary>
    public static RouteHandlerBuilder RequiresIfMatch(this RouteHandlerBuilder builder, bool createOnlyWithIfNoneMatch = false) =>
        builder.WithMetadata(new IfMatchPrecondition(createOnlyWithIfNoneMatch))
            .AnswersProblem(StatusCodes.Status412PreconditionFailed, createOnlyWithIfNoneMatch
                ? "Precondition failed: the record is not at the version in If-Match, or exists despite If-None-Match: * (code preconditionFailed)."
                : "Precondition failed: the record is not at the version in If-Match (code preconditionFailed).")
            .AnswersProblem(StatusCodes.Status428PreconditionRequired, createOnlyWithIfNoneMatch
                ? "Precondition required: replacing an existing record needs If-Match (code preconditionRequired)."
                : "Precondition required: send If-Match (code preconditionRequired).");

    /// <summary>Idempotency-Key makes a retried POST safe (<see cref="IdempotencyMiddleware"/>).</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(Idempotency.Instance)
            .AnswersProblem(StatusCodes.Status400BadRequest, "Bad request: the Idempotency-Key is not 1 to 255 printable characters (code invalidParameter).")
            .AnswersProblem(StatusCodes.Status409Conflict, "Conflict: a request with the same Idempotency-Key is still running (code idempotencyKeyInUse; retry after Retry-After).")
            .AnswersProblem(StatusCodes.Status422UnprocessableEntity, "Unprocessable: this Idempotency-Key was used with a different request (code idempotencyKeyMismatch).");

    /// <summary>The endpoints need an API key with this scope (admin satisfies every scope): ASP.NET Core authorization with the scope's policy.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(scope)
            .AnswersProblem(StatusCodes.Status401Unauthorized, "Unauthorized: no API key, or one that is unknown or revoked (code unauthorized). The same answer whether or not the record exists.")
            .AnswersProblem(StatusCodes.Status403Forbidden, $"Forbidden: the API key lacks the scope '{scope}' (code forbidden).");

    /// <summary>The rate-limit budget the endpoints spend (the last one declared wins, so an endpoint can override its group's).</summary>
    public static TBuilder WithRateBudget<TBuilder>(this TBuilder builder, RateBudget budget) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RateBudgetMetadata(budget))
            .AnswersProblem(StatusCodes.Status429TooManyRequests, "Too many requests: this client's budget for this kind of request is used up (code rateLimited); retry after Retry-After seconds.");

    /// <summary>The largest body the endpoints read (configured; 413 beyond it).</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit) where TBuilder : IEndpointConventionBuilder
    {
        // Resolved when the endpoint is built, after all configuration (including the tests') is in.
        builder.Add(endpoint =>
        {
            var security = endpoint.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
            endpoint.Metadata.Add(new BodyLimitMetadata(limit, limit == BodyLimit.Import ? security.MaxImportBodyBytes : security.MaxBodyBytes));
        });
        return builder.AnswersProblem(StatusCodes.Status413PayloadTooLarge, limit == BodyLimit.Import
            ? "Payload too large: the body is over the import limit (Security:MaxImportBodyBytes; code payloadTooLarge)."
            : "Payload too large: the body is over the limit for writes (Security:MaxBodyBytes; code payloadTooLarge).");
    }

    /// <summary>Writes to the store can find it busy (another writer holds the lock past the busy timeout).</summary>
    public static TBuilder ProducesStoreBusy<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AnswersProblem(StatusCodes.Status503ServiceUnavailable, "Service unavailable: the store is busy; retry after Retry-After seconds (code serviceUnavailable).");

    /// <summary>True when If-None-Match names <paramref name="etag"/> or is '*' (weak comparison, RFC 9110 §13.1.2).</summary>
    public static bool NoneMatch(HttpRequest request, string etag)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParse(etag, out var current))
        {
            return false;
        }
        return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(t => t.Tag == "*" || t.Compare(current, useStrongComparison: false));
    }

    private static bool IsOk(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        return result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK };
    }
}

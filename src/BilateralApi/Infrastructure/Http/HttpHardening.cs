using BilateralApi.Infrastructure.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// Request body limits (413 problem), the security headers of every response, and CORS for the
/// configured origins with the headers clients need exposed.
/// </summary>
public static class HttpHardening
{
    public const string CorsPolicy = "api";

    /// <summary>Response headers a browser client may read.</summary>
    public static readonly string[] ExposedHeaders =
        ["ETag", "Link", "X-Total-Count", "Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", IdempotencyMiddleware.ReplayedHeader];

    public static IServiceCollection AddHttpHardening(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<SecurityOptions>>((options, security) =>
            options.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(security.Value.CorsOrigins)
                .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "X-Api-Key", "Content-Type", "If-Match", "If-None-Match", IdempotencyMiddleware.HeaderName)
                .WithExposedHeaders(ExposedHeaders)));
        return services;
    }

    /// <summary>nosniff, no referrer, no framing; a strict CSP on API answers (Swagger UI keeps what its page needs).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (http.Request.Path.StartsWithSegments("/swagger", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
        }
        else
        {
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            headers.CacheControl = http.Request.Method is "GET" or "HEAD" ? "no-cache" : "no-store";
        }
        return next(http);
    });

    /// <summary>
    /// Refuses a body over the endpoint's declared limit (<see cref="EndpointBehaviours.WithBodyLimit"/>)
    /// with a 413 problem: at once when Content-Length says so, and through the server's body-size
    /// feature while a chunked body is read (the exception handler answers that one).
    /// </summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is not { } limit)
        {
            await next(http);
            return;
        }
        if (http.Request.ContentLength is { } length && length > limit)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = 413,
                    Title = "Payload too large",
                    Detail = $"The request body is larger than the {limit} bytes allowed for this operation.",
                    Extensions = { ["code"] = Problems.PayloadTooLarge },
                },
            });
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        await next(http);
    });
}

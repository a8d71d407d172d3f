using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BilateralApi.Infrastructure.Security;

/// <summary>One budget: so many requests per fixed window.</summary>
public sealed class RateBudgetOptions
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>The "RateLimits" settings: a budget per kind of request, per API key or else per client address.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;
    public RateBudgetOptions Reads { get; set; } = new() { PermitLimit = 600 };
    public RateBudgetOptions Writes { get; set; } = new() { PermitLimit = 120 };
    public RateBudgetOptions Bulk { get; set; } = new() { PermitLimit = 10 };

    public RateBudgetOptions For(RateBudget budget) => budget switch
    {
        RateBudget.Reads => Reads,
        RateBudget.Writes => Writes,
        _ => Bulk,
    };
}

/// <summary>
/// ASP.NET Core's rate limiter with one fixed-window limiter per (budget, client): the client is the
/// API key when the request carries a valid one, else the connection's address. Rejections are 429
/// problems (code rateLimited) with Retry-After; every limited response carries RateLimit-Limit,
/// RateLimit-Remaining and RateLimit-Reset (IETF draft ratelimit-headers). Retry-After and RateLimit-Reset
/// come from one clock, so they always agree.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<WindowClock>();
        services.AddRateLimiter(_ => { });
        // Built when the middleware first asks, after all configuration (including the tests') is in.
        services.AddOptions<RateLimiterOptions>().Configure<WindowClock>((options, clock) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, clock));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                // The true wait is the rest of the current window (the limiter's own hint is always a whole window).
                http.Response.Headers.RetryAfter = SecondsToReset(http).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = "The rate limit of this client for this kind of request is used up; retry after the time in Retry-After.",
                        Extensions = { ["code"] = Problems.RateLimited },
                    },
                });
            };
        });
        return services;
    }

    /// <summary>
    /// Decides once per request which budget and partition it spends (read by the rate limiter, the 429 and
    /// the headers), and adds the RateLimit-* headers to every limited response (before the rate limiter
    /// runs, so 429s get them too). In the pipeline only when rate limits are on (Program.UsePipeline).
    /// </summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (Budget(http) is not { } budget)
        {
            await next(http);
            return;
        }
        var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.For(budget);
        var target = new RateLimitTarget(options, PartitionKey(http, budget));
        http.Features.Set(target);
        http.Response.OnStarting(() =>
        {
            var limiter = http.RequestServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
            var remaining = limiter?.GetStatistics(http)?.CurrentAvailablePermits ?? options.PermitLimit;
            http.Response.Headers["RateLimit-Limit"] = options.PermitLimit.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Reset"] = SecondsToReset(http).ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        await next(http);
    });

    /// <summary>The budget's settings and the partition (budget and client) a request spends, decided once.</summary>
    private sealed record RateLimitTarget(RateBudgetOptions Options, string Partition);

    private static RateLimitPartition<string> Partition(HttpContext http, WindowClock clock)
    {
        if (http.Features.Get<RateLimitTarget>() is not { } target)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }
        var options = target.Options;
        return RateLimitPartition.GetFixedWindowLimiter(target.Partition, partition =>
        {
            clock.Started(partition);
            return new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, options.PermitLimit),
                Window = TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds)),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
        });
    }

    /// <summary>Seconds until the window of this request's partition resets: RateLimit-Reset, and Retry-After on a 429.</summary>
    private static int SecondsToReset(HttpContext http) =>
        http.Features.Get<RateLimitTarget>() is { } target
            ? http.RequestServices.GetRequiredService<WindowClock>().SecondsToReset(target.Partition, target.Options.WindowSeconds)
            : 1;

    /// <summary>
    /// The budget the endpoint declares (<see cref="EndpointBehaviours.WithRateBudget"/>); a list asked for CSV or
    /// NDJSON streams every matching row: bulk work, on the bulk budget (decision 0023).
    /// </summary>
    private static RateBudget? Budget(HttpContext http) =>
        http.GetEndpoint()?.Metadata is not { } metadata ? null
        : metadata.GetMetadata<Querying.ExportableMetadata>() is not null && Querying.ListQuery.AsksForExport(http.Request) ? RateBudget.Bulk
        : metadata.GetMetadata<RateBudgetMetadata>()?.Budget;

    private static string PartitionKey(HttpContext http, RateBudget budget) =>
        ApiKeyClaims.KeyId(http.User) is { } keyId
            ? $"{budget}:key:{keyId}"
            : $"{budget}:ip:{http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";

    /// <summary>When each partition's first window began, to tell clients when it resets.</summary>
    public sealed class WindowClock(TimeProvider time)
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _starts = new();

        public void Started(string partition)
        {
            // Bounded memory under many client addresses: forgetting a start only makes Reset say "a full window".
            if (_starts.Count > 100_000)
            {
                _starts.Clear();
            }
            _starts[partition] = time.GetUtcNow();
        }

        public int SecondsToReset(string partition, int windowSeconds)
        {
            var window = Math.Max(1, windowSeconds);
            if (!_starts.TryGetValue(partition, out var start))
            {
                return window;
            }
            var elapsed = (time.GetUtcNow() - start).TotalSeconds % window;
            return Math.Max(1, (int)Math.Ceiling(window - elapsed));
        }
    }
}

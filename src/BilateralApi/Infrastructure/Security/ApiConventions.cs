using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Authorization;

namespace BilateralApi.Infrastructure.Security;

/// <summary>Which rate-limit budget an endpoint spends: reads, writes, or bulk imports/exports.</summary>
public enum RateBudget
{
    Reads,
    Writes,
    Bulk,
}

/// <summary>
/// Endpoint metadata naming the budget the rate limiter charges (<see cref="RateLimits"/>); declared with
/// <see cref="EndpointBehaviours.WithRateBudget"/>, the last declaration (the endpoint's over its group's) wins.
/// </summary>
public sealed record RateBudgetMetadata(RateBudget Budget) : IEndpointBehaviour
{
    public IReadOnlyList<BehaviourHeader> RequestHeaders => [];

    public IReadOnlyList<BehaviourHeader> ResponseHeaders =>
    [
        new("RateLimit-Limit", "Requests allowed per window for this client and kind of request.", HeaderKind.Count),
        new("RateLimit-Remaining", "Requests left in the current window.", HeaderKind.Count),
        new("RateLimit-Reset", "Seconds until the window resets.", HeaderKind.Count),
        new("Retry-After", "Seconds until the budget allows another request (the same as RateLimit-Reset).", HeaderKind.Count, null, 429),
    ];
}

/// <summary>
/// Who may call the API: API keys with scopes, as ASP.NET Core authorization policies. Each endpoint
/// declares what it needs (<see cref="EndpointBehaviours.RequireScope"/>, <see cref="EndpointBehaviours.WithRateBudget"/>);
/// nothing is inferred from paths or methods. A write that declares no scope would be open to anyone,
/// so <see cref="RequireDeclaredScopes"/> refuses to build such an endpoint.
/// </summary>
public static class ApiConventions
{
    /// <summary>Fails the start (when endpoints are built) if an endpoint that is not a read declares no scope or any endpoint no budget.</summary>
    public static TBuilder RequireDeclaredScopes<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().FirstOrDefault()?.HttpMethods ?? [];
            var isRead = methods.Count > 0 && methods.All(m => m is "GET" or "HEAD");
            if (!isRead && RequiredScopes(endpoint.Metadata).Count == 0)
            {
                throw new InvalidOperationException($"{endpoint.DisplayName} changes data but declares no scope: add .RequireScope(...).");
            }
            if (!endpoint.Metadata.OfType<RateBudgetMetadata>().Any())
            {
                throw new InvalidOperationException($"{endpoint.DisplayName} declares no rate budget: add .WithRateBudget(...).");
            }
        });
        return builder;
    }

    /// <summary>The scopes an endpoint needs (empty for public reads), from its authorization metadata.</summary>
    public static IReadOnlyList<string> RequiredScopes(IEnumerable<object> metadata) =>
        metadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy)
            .Where(p => p is not null && ApiScopes.All.Contains(p))
            .Select(p => p!)
            .Distinct()
            .ToList();

    /// <summary>Registers the authentication scheme and one policy per scope (admin satisfies all).</summary>
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section));
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyClaims.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyClaims.Scheme, null);
        services.AddAuthorization();
        // Policies are built when first used, after all configuration (including the tests') is in.
        services.AddOptions<AuthorizationOptions>().Configure<Microsoft.Extensions.Options.IOptions<SecurityOptions>>((options, security) =>
        {
            foreach (var scope in ApiScopes.All)
            {
                options.AddPolicy(scope, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyClaims.ScopeClaim, scope, ApiScopes.Admin));
            }
            // Only attached to /v1 when reads are not public (Security:PublicReads=false).
            options.AddPolicy(ApiKeyClaims.ReadPolicy, p => p.RequireAuthenticatedUser());
        });
        return services;
    }
}

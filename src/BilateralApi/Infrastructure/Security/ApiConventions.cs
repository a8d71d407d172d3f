using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace BilateralApi.Infrastructure.Security;

/// <summary>Which rate-limit budget an endpoint spends (API.md §5): reads, writes, or bulk imports/exports.</summary>
public enum RateBudget
{
    Reads,
    Writes,
    Bulk,
}

/// <summary>Endpoint metadata naming the budget; set by <see cref="ApiConventions"/> unless an endpoint set its own.</summary>
public sealed record RateBudgetMetadata(RateBudget Budget);

/// <summary>
/// The security conventions of every /v1 endpoint, applied once on the group after the slices'
/// own conventions (so a slice can name a different scope or budget): GET/HEAD take the read policy
/// and budget; any other method needs the <c>write</c> scope (imports: <c>import</c>) and spends
/// the write budget (imports and exports: the bulk budget).
/// </summary>
public static class ApiConventions
{
    public static TBuilder WithApiSecurity<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(Apply);
        return builder;
    }

    private static void Apply(EndpointBuilder endpoint)
    {
        var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().FirstOrDefault()?.HttpMethods ?? [];
        var isRead = methods.Count > 0 && methods.All(m => m is "GET" or "HEAD");
        var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
        var bulk = pattern.EndsWith("/import", StringComparison.Ordinal) || pattern.EndsWith("/export", StringComparison.Ordinal);

        if (!endpoint.Metadata.OfType<IAuthorizeData>().Any() && !endpoint.Metadata.OfType<IAllowAnonymous>().Any())
        {
            var policy = isRead ? ApiKeyClaims.ReadPolicy
                : pattern.EndsWith("/import", StringComparison.Ordinal) ? ApiScopes.Import
                : ApiScopes.Write;
            endpoint.Metadata.Add(new AuthorizeAttribute(policy));
        }
        if (!endpoint.Metadata.OfType<RateBudgetMetadata>().Any())
        {
            endpoint.Metadata.Add(new RateBudgetMetadata(bulk ? RateBudget.Bulk : isRead ? RateBudget.Reads : RateBudget.Writes));
        }
    }

    /// <summary>The scopes an endpoint needs (empty for public reads); used by the OpenAPI filter.</summary>
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
            options.AddPolicy(ApiKeyClaims.ReadPolicy, p =>
            {
                if (security.Value.PublicReads)
                {
                    p.RequireAssertion(_ => true);
                }
                else
                {
                    p.RequireAuthenticatedUser();
                }
            });
        });
        return services;
    }
}

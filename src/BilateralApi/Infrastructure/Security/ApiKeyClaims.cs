using System.Security.Claims;

namespace BilateralApi.Infrastructure.Security;

/// <summary>The claims an authenticated API key carries, and the names of the scheme and policies.</summary>
public static class ApiKeyClaims
{
    public const string Scheme = "ApiKey";
    public const string KeyIdClaim = "key_id";
    public const string ScopeClaim = "scope";

    /// <summary>Policy of reads when <see cref="SecurityOptions.PublicReads"/> is false: any valid key.</summary>
    public const string ReadPolicy = "read";

    public static string? KeyId(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true ? user.FindFirst(KeyIdClaim)?.Value : null;

    public static ClaimsPrincipal Principal(ApiKeyInfo key)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id),
            new(KeyIdClaim, key.Id),
            new(ClaimTypes.Name, key.Name),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }
}

/// <summary>The "Security" settings.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>GET requests need no key. false: every /v1 request needs a valid key of any scope.</summary>
    public bool PublicReads { get; set; } = true;

    /// <summary>Changing an existing record needs If-Match (428 without it). false: a write without If-Match overwrites.</summary>
    public bool RequireIfMatch { get; set; } = true;

    /// <summary>Origins allowed by CORS (none by default: browsers on other sites cannot call the API).</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Largest request body in bytes for ordinary writes (default 1 MiB); 413 beyond it.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest request body in bytes for imports (default 256 MiB); imports stream their bodies.</summary>
    public long MaxImportBodyBytes { get; set; } = 256L * 1024 * 1024;
}

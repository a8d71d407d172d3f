using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Security;

/// <summary>Tight budgets (only the rate-limit test uses this factory, so nothing else spends them).</summary>
public sealed class TightLimitsFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("RateLimits:Reads:PermitLimit", "3"),
        ("RateLimits:Writes:PermitLimit", "2"),
        ("RateLimits:Reads:WindowSeconds", "3600"),
        ("RateLimits:Writes:WindowSeconds", "3600"),
    ];
}

/// <summary>The same tight read budget, with rate limits switched off.</summary>
public sealed class RateLimitsOffFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("RateLimits:Enabled", "false"),
        ("RateLimits:Reads:PermitLimit", "1"),
        ("RateLimits:Reads:WindowSeconds", "3600"),
    ];
}

public sealed class RateLimitsOffTests(RateLimitsOffFactory factory) : IClassFixture<RateLimitsOffFactory>
{
    [Fact]
    public async Task With_rate_limits_off_no_budget_is_spent_or_announced()
    {
        var client = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.GetAsync("/v1/countries/AZE");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.False(ok.Headers.Contains("RateLimit-Limit"), "a RateLimit header with rate limits off");
        }
    }
}

/// <summary>A small body limit, one allowed CORS origin and If-Match optional.</summary>
public sealed class ConfiguredSecurityFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Security:MaxBodyBytes", "4096"),
        ("Security:CorsOrigins:0", "https://app.example"),
        ("Security:RequireIfMatch", "false"),
    ];
}

public sealed class RateLimitTests(TightLimitsFactory factory) : IClassFixture<TightLimitsFactory>
{
    [Fact]
    public async Task Budgets_are_per_key_and_per_kind_and_a_429_says_when_to_retry()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.CreateKey("write"));

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.GetAsync("/v1/countries/AZE");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("RateLimit-Limit").Single());
            remaining.Add(ok.Headers.GetValues("RateLimit-Remaining").Single());
            Assert.InRange(int.Parse(ok.Headers.GetValues("RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        }
        Assert.Equal(["2", "1", "0"], remaining);

        var limited = await client.GetAsync("/v1/countries/AZE");
        await limited.AssertProblemAsync(429, "rateLimited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("0", limited.Headers.GetValues("RateLimit-Remaining").Single());

        // Writes have their own budget, and another key (or an anonymous client) has its own.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/sources", Json.Body(Bodies.Source("within-write-budget")))).StatusCode);
        var otherKey = factory.CreateClient();
        otherKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.CreateKey("write"));
        Assert.Equal(HttpStatusCode.OK, (await otherKey.GetAsync("/v1/countries/AZE")).StatusCode);
    }
}

public sealed class ConfiguredSecurityTests(ConfiguredSecurityFactory factory) : IClassFixture<ConfiguredSecurityFactory>
{
    [Fact]
    public async Task Bodies_over_the_limit_are_413_problems()
    {
        var client = factory.CreateWriterClient();
        var big = Bodies.Source("too-big", new string('x', 10_000));

        await (await client.PostAsync("/v1/sources", Json.Body(big))).AssertProblemAsync(413, "payloadTooLarge");
    }

    [Fact]
    public async Task If_match_can_be_made_optional()
    {
        var client = factory.CreateWriterClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/v1/sources/optional-if-match", Json.Body(Bodies.Source("optional-if-match")))).StatusCode);

        var overwrite = await client.PutAsync("/v1/sources/optional-if-match", Json.Body(Bodies.Source("optional-if-match", "Changed")));

        Assert.Equal(HttpStatusCode.OK, overwrite.StatusCode);
        using var stale = new HttpRequestMessage(HttpMethod.Delete, "/v1/sources/optional-if-match");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(stale.WithIfMatch("\"1\""))).StatusCode);
    }

    [Fact]
    public async Task Cors_allows_the_configured_origin_and_exposes_the_api_headers()
    {
        var client = factory.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/sources");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        var allowed = await client.SendAsync(preflight);
        Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var get = new HttpRequestMessage(HttpMethod.Get, "/v1/codelists");
        get.Headers.Add("Origin", "https://app.example");
        var response = await client.SendAsync(get);
        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
        foreach (var header in new[] { "ETag", "Link", "X-Total-Count", "Location", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset" })
        {
            Assert.Contains(header, exposed, StringComparison.OrdinalIgnoreCase);
        }

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/v1/codelists");
        foreign.Headers.Add("Origin", "https://evil.example");
        Assert.False((await client.SendAsync(foreign)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class SecurityHeaderTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_wrong_method_is_405_with_allow()
    {
        var response = await factory.CreateClient().DeleteAsync("/v1/sources");

        await response.AssertProblemAsync(405, "methodNotAllowed");
        var allow = string.Join(",", response.Content.Headers.Allow);
        Assert.Contains("GET", allow, StringComparison.Ordinal);
        Assert.Contains("POST", allow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_swagger_ui_still_loads()
    {
        var client = factory.CreateClient();
        var api = await client.GetAsync("/v1/codelists");
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", api.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", api.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'none'", api.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var ui = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("script-src 'self'", ui.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Security;

/// <summary>The list tests of SecurityHeaderTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class SecurityHeaderTests
{
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

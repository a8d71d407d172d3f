using System.Net;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Infrastructure;

public sealed class PipelineTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Root_redirects_to_swagger_ui_which_is_served()
    {
        var root = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/swagger", root.Headers.Location?.OriginalString);
        using var head = new HttpRequestMessage(HttpMethod.Head, "/");
        Assert.Equal(HttpStatusCode.Redirect, (await _client.SendAsync(head)).StatusCode);

        var ui = await _client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger-ui", await ui.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_probes_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
        var ready = await _client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        var response = await _client.GetAsync("/v1/nothing-here");

        await response.AssertProblemAsync(404, "notFound");
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        var response = await _client.DeleteAsync("/v1/sources");

        await response.AssertProblemAsync(405, "methodNotAllowed");
    }

    [Fact]
    public async Task Unknown_and_repeated_query_parameters_are_400_naming_them()
    {
        var unknown = await (await _client.GetAsync("/v1/sources?Type=news")).AssertProblemAsync(400, "unknownParameter");
        Assert.Contains("Did you mean 'type'", unknown.FieldErrors("Type")[0], StringComparison.Ordinal);

        var repeated = await (await _client.GetAsync("/v1/sources?type=news&type=academic")).AssertProblemAsync(400, "invalidParameter");
        Assert.NotEmpty(repeated.FieldErrors("type"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("ten")]
    [InlineData("-1")]
    public async Task Limit_outside_1_to_500_is_400_not_clamped(string limit)
    {
        var problem = await (await _client.GetAsync($"/v1/countries?limit={limit}")).AssertProblemAsync(400, "invalidParameter");

        Assert.NotEmpty(problem.FieldErrors("limit"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJGIjoiMDAwMDAwMDAwMDAwMDAwMCIsIksiOlsiQUZHIl19")]
    public async Task Forged_cursors_are_400(string cursor)
    {
        var problem = await (await _client.GetAsync($"/v1/countries?cursor={cursor}")).AssertProblemAsync(400, "invalidParameter");

        Assert.NotEmpty(problem.FieldErrors("cursor"));
    }

    [Theory]
    [InlineData("/v1/sources?type=news'%20OR%201=1--")]
    [InlineData("/v1/agreements?country=AZE);DROP%20TABLE%20agreement;--")]
    [InlineData("/v1/agreements?signed=2023'..2024")]
    public async Task Injection_attempts_are_plain_400s(string url)
    {
        var response = await _client.GetAsync(url);

        await response.AssertProblemAsync(400, "invalidParameter");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/v1/agreements")).StatusCode);
    }
}

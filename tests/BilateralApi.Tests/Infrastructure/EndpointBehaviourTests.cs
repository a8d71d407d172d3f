using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Infrastructure.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// Behaviour is declared on each endpoint once (Infrastructure/Http/EndpointBehaviours.cs): the runtime
/// rule and the OpenAPI document both read that metadata, so they cannot disagree.
/// </summary>
public sealed class EndpointBehaviourTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private IEnumerable<RouteEndpoint> DocumentedEndpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null && e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true });

    private static JsonObject Operation(JsonNode document, string operationId) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()).Select(o => o.Value!.AsObject())
            .Single(o => o["operationId"]!.GetValue<string>() == operationId);

    [Fact]
    public async Task Every_operation_declares_exactly_the_statuses_and_headers_of_its_endpoint_metadata()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var problems = new List<string>();
        var endpoints = DocumentedEndpoints().ToList();
        Assert.True(endpoints.Count > 50, $"Only {endpoints.Count} endpoints found.");
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName;
            var operation = Operation(document, name);
            var responses = operation["responses"]!.AsObject();

            var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode.ToString(CultureInfo.InvariantCulture)).ToHashSet();
            var documented = responses.Select(r => r.Key).ToHashSet();
            if (!declared.SetEquals(documented))
            {
                problems.Add($"{name}: metadata declares [{string.Join(",", declared.Order())}], the document [{string.Join(",", documented.Order())}]");
            }

            var behaviours = endpoint.Metadata.OfType<IEndpointBehaviour>().GroupBy(b => b.GetType()).Select(g => g.Last()).ToList();
            var requestHeaders = behaviours.SelectMany(b => b.RequestHeaders).Select(h => h.Name).ToHashSet();
            var documentedHeaders = (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "header").Select(p => p!["name"]!.GetValue<string>()).ToHashSet();
            if (!requestHeaders.SetEquals(documentedHeaders))
            {
                problems.Add($"{name}: request headers declared [{string.Join(",", requestHeaders)}], documented [{string.Join(",", documentedHeaders)}]");
            }
            foreach (var header in behaviours.SelectMany(b => b.ResponseHeaders))
            {
                var statuses = header.Statuses.Length > 0 ? header.Statuses.Select(s => s.ToString(CultureInfo.InvariantCulture)).Where(documented.Contains) : documented;
                foreach (var status in statuses)
                {
                    if (responses[status]!["headers"]?[header.Name] is null)
                    {
                        problems.Add($"{name}: {status} lacks the header {header.Name} its behaviour writes");
                    }
                }
            }

            var scopes = ApiConventions.RequiredScopes(endpoint.Metadata);
            if ((scopes.Count > 0) != (operation["security"] is not null))
            {
                problems.Add($"{name}: scopes [{string.Join(",", scopes)}] but security {operation["security"]?.ToJsonString() ?? "none"}");
            }
            var conditional = endpoint.Metadata.GetMetadata<ConditionalGet>() is not null;
            if (conditional != responses.ContainsKey("304"))
            {
                problems.Add($"{name}: conditional GET {conditional}, 304 documented {responses.ContainsKey("304")}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_endpoint_declares_a_rate_budget_and_every_write_a_scope()
    {
        foreach (var endpoint in DocumentedEndpoints())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods;
            Assert.NotNull(endpoint.Metadata.GetMetadata<RateBudgetMetadata>());
            if (methods.Any(m => m is not ("GET" or "HEAD")))
            {
                Assert.NotEmpty(ApiConventions.RequiredScopes(endpoint.Metadata));
                Assert.Equal(endpoint.RoutePattern.RawText!.EndsWith("/import", StringComparison.Ordinal) ? RateBudget.Bulk : RateBudget.Writes,
                    endpoint.Metadata.GetMetadata<RateBudgetMetadata>()!.Budget);
                Assert.NotNull(endpoint.Metadata.GetMetadata<BodyLimitMetadata>());
            }
        }
    }

    [Theory]
    [InlineData("getEvent", "/v1/events/barak-8-iskander-interception-baku-2020-11")]
    [InlineData("getClaim", "/v1/claims/seed-article-israel-oil-share-40")]
    [InlineData("getTradeRecord", "/v1/trade-records/1")]
    [InlineData("getSource", "/v1/sources/seed-article")]
    public async Task Item_gets_answer_304_and_the_document_says_so(string operationId, string url)
    {
        // The seed holds no trade records (official releases only): store the three rows whose ids start at 1.
        await ImportedTrade.EnsureAsync(factory);
        var first = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await _client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);

        var operation = Operation(JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!, operationId);
        Assert.NotNull(operation["responses"]!["304"]);
        Assert.NotNull(operation["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.Contains(operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "If-None-Match");
    }

    [Fact]
    public async Task A_get_that_declares_no_conditional_behaviour_never_answers_304()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/countries/AZE");
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_document_is_built_once_and_revalidates_with_its_etag()
    {
        var cache = factory.Services.GetRequiredService<OpenApiDocumentCache>();
        var first = await _client.GetAsync("/swagger/v1/swagger.json");
        var second = await _client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(1, cache.Generations);
        Assert.NotNull(first.Headers.ETag);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/swagger/v1/swagger.json");
        revalidate.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(revalidate)).StatusCode);
        Assert.Equal(1, cache.Generations);
    }

    [Fact]
    public async Task The_served_bytes_are_the_committed_file()
    {
        var served = await _client.GetByteArrayAsync("/swagger/v1/swagger.json");
        var committed = await File.ReadAllBytesAsync(Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "openapi", "bilateral-api.v1.json"));

        Assert.True(served.AsSpan().SequenceEqual(committed),
            "openapi/bilateral-api.v1.json differs from the served bytes. Regenerate it from the repository root with: dotnet run --project src/BilateralApi -- openapi");
    }

    [Fact]
    public void A_write_without_a_declared_scope_stops_the_start()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddRouting();
        using var app = builder.Build();
        app.MapGroup("/v1").WithRateBudget(RateBudget.Reads).RequireDeclaredScopes().MapPost("/open", () => "anyone");

        var error = Assert.Throws<InvalidOperationException>(() => ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).ToList());
        Assert.Contains("declares no scope", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Known budgets and body limit, to tell which the case-variant and rate-limit tests hit.</summary>
public sealed class BehaviourLimitsFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("RateLimits:Writes:PermitLimit", "777"),
        ("RateLimits:Bulk:PermitLimit", "55"),
        ("RateLimits:Reads:PermitLimit", "2"),
        ("RateLimits:Reads:WindowSeconds", "30"),
        ("Security:MaxBodyBytes", "4096"),
    ];
}

/// <summary>Routing ignores case; behaviour is bound to the endpoint, so no spelling of a path escapes it.</summary>
public sealed class CaseVariantPathTests(BehaviourLimitsFactory factory) : IClassFixture<BehaviourLimitsFactory>
{
    private static HttpRequestMessage Post(string url, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json.Body(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    [Fact]
    public async Task An_upper_case_path_keeps_idempotency()
    {
        var client = factory.CreateWriterClient();
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Source(null, "Case variant idempotent source");

        var first = await client.SendAsync(Post("/V1/SOURCES", body, key));
        var retry = await client.SendAsync(Post("/V1/SOURCES", body, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
    }

    [Fact]
    public async Task An_upper_case_path_keeps_scopes_budgets_and_body_limits()
    {
        var anonymous = factory.CreateClient();
        await (await anonymous.SendAsync(Post("/V1/Sources", Bodies.Source("case-anonymous")))).AssertProblemAsync(401, "unauthorized");

        var importer = factory.CreateClient();
        importer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.CreateKey("import"));
        await (await importer.SendAsync(Post("/V1/Sources", Bodies.Source("case-import-only")))).AssertProblemAsync(403, "forbidden");

        var writer = factory.CreateWriterClient();
        var created = await writer.SendAsync(Post("/V1/Sources", Bodies.Source("case-writer")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("777", created.Headers.GetValues("RateLimit-Limit").Single());

        using var import = new HttpRequestMessage(HttpMethod.Post, "/V1/SOURCES/IMPORT?dryRun=true") { Content = new StringContent("", null, "application/x-ndjson") };
        Assert.Equal("55", (await writer.SendAsync(import)).Headers.GetValues("RateLimit-Limit").Single());

        var big = Bodies.Source("case-too-big", new string('x', 10_000));
        await (await writer.SendAsync(Post("/V1/Sources", big))).AssertProblemAsync(413, "payloadTooLarge");
    }

    [Fact]
    public async Task Retry_after_on_a_429_is_the_true_wait()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/codelists/eventMode")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/codelists/eventMode")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var refused = await client.GetAsync("/v1/codelists/eventMode");

        await refused.AssertProblemAsync(429, "rateLimited");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        var reset = int.Parse(refused.Headers.GetValues("RateLimit-Reset").Single(), CultureInfo.InvariantCulture);
        Assert.Equal(reset, retryAfter);
        Assert.InRange(retryAfter, 1, 29);
    }
}

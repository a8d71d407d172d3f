using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>The JSON reader never guesses: malformed or surprising bodies are 400 problems naming the member.</summary>
public sealed class StrictJsonTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    [Theory]
    [InlineData("""{ "type": "news", "title": "t", "reliability": "B", "colour": "red" }""", "colour")]
    [InlineData("""{ "type": "news", "title": "t", "title": "u", "reliability": "B" }""", "title")]
    [InlineData("""{ "type": 5, "title": "t", "reliability": "B" }""", "type")]
    [InlineData("""{ "type": "news", "title": "t", "reliability": "B", "notes": ["a"] }""", "notes")]
    public async Task Bad_members_are_400_invalidJson_keyed_by_member(string body, string field)
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body(body));

        var problem = await response.AssertProblemAsync(400, "invalidJson");
        Assert.NotEmpty(problem.FieldErrors(field));
    }

    [Theory]
    [InlineData("""{ "type": "news", "title": "t", """)]
    [InlineData("""not json""")]
    [InlineData("""[1, 2]""")]
    public async Task Malformed_documents_are_400_invalidJson(string body)
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body(body));

        await response.AssertProblemAsync(400, "invalidJson");
    }

    [Fact]
    public async Task Numbers_as_strings_and_non_finite_numbers_are_rejected_not_coerced()
    {
        await _client.EnsureSourceAsync("strict-json-source");
        var asString = """
            { "title": "T", "type": "mou", "status": "signed", "subjects": [], "parties": [ { "country": "AZE", "role": "party" }, { "country": "ISR", "role": "party" } ],
              "valueUsd": "100", "citations": [ { "sourceId": "strict-json-source", "supports": "asserts" } ] }
            """;
        var problem = await (await _client.PostAsync("/v1/agreements", Json.Body(asString))).AssertProblemAsync(400, "invalidJson");
        Assert.NotEmpty(problem.FieldErrors("valueUsd"));

        var huge = asString.Replace("\"100\"", "1e400", StringComparison.Ordinal);
        var hugeProblem = await (await _client.PostAsync("/v1/agreements", Json.Body(huge))).AssertProblemAsync(400, "invalidJson");
        Assert.NotEmpty(hugeProblem.FieldErrors("valueUsd"));
    }

    [Fact]
    public async Task Missing_required_values_are_listed_all_at_once()
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body("{}"));

        var problem = await response.AssertProblemAsync(400, "validationFailed");
        Assert.NotEmpty(problem.FieldErrors("type"));
        Assert.NotEmpty(problem.FieldErrors("reliability"));
        Assert.NotEmpty(problem.FieldErrors("title"));
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem()
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body("type=news", "text/plain"));

        await response.AssertProblemAsync(415, "unsupportedMediaType");
    }

    [Fact]
    public async Task Empty_body_is_a_400_problem()
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body(""));

        await response.AssertProblemAsync(400, "invalidJson");
    }
}

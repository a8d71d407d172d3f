using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Security;

/// <summary>
/// A body full of bad values gets a bounded answer: a validation problem lists at most 100 fields in
/// 'errors' and counts the rest in 'errorsOmitted'; an import lists at most 100 reasons per rejected
/// row (the rest counted in the rejection's 'errorsOmitted') and at most 100 rejected rows.
/// </summary>
public sealed partial class ErrorAmplificationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int BadCodes = 90_000;
    private const string SourceId = "error-amplification-source";

    private readonly HttpClient _client = factory.CreateWriterClient();

    private static JsonObject EventWithBadSubjects(string id)
    {
        var body = EventData.Event(id, SourceId);
        body["subjects"] = new JsonArray([.. Enumerable.Range(0, BadCodes).Select(i => (JsonNode?)JsonValue.Create($"x{i}"))]);
        return body;
    }

    [Fact]
    public async Task A_write_with_90000_bad_codes_gets_at_most_100_field_errors_and_the_count_of_the_rest()
    {
        await EventData.CreateSourceAsync(_client, SourceId);
        var text = EventWithBadSubjects("error-amplification").ToJsonString();
        Assert.True(text.Length < 1024 * 1024, $"the body is {text.Length} bytes, over the write limit");

        var response = await _client.PostAsync("/v1/events", Json.Body(text));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 100_000, $"the answer is {body.Length} characters");
        var problem = await response.AssertProblemAsync(400, "validationFailed");
        var listed = problem.GetProperty("errors").EnumerateObject().Count();
        Assert.Equal(100, listed);
        Assert.Equal(BadCodes - listed, problem.GetProperty("errorsOmitted").GetInt64());
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name == "subjects[0]");
    }

    [Fact]
    public async Task A_few_errors_are_all_listed_without_an_omitted_count()
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body("""{"id":"Bad Id","type":"nope","reliability":"Z"}"""));
        var problem = await response.AssertProblemAsync(400, "validationFailed");
        Assert.True(problem.GetProperty("errors").EnumerateObject().Count() >= 3);
        Assert.False(problem.TryGetProperty("errorsOmitted", out _));
    }

}

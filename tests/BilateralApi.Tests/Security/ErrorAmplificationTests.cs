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
public sealed class ErrorAmplificationTests(ApiFactory factory) : IClassFixture<ApiFactory>
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


    [Fact]
    public async Task An_import_lists_at_most_100_reasons_per_rejected_row_and_100_rejected_rows()
    {
        await EventData.CreateSourceAsync(_client, SourceId);
        var rows = new StringBuilder(EventWithBadSubjects("error-amplification-import").ToJsonString()).Append('\n');
        for (var i = 0; i < 150; i++)
        {
            rows.Append("""{"id":"bad"}""").Append('\n');
        }

        var response = await _client.PostAsync("/v1/events/import", new StringContent(rows.ToString(), Encoding.UTF8, "application/x-ndjson"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 1_000_000, $"the answer is {body.Length} characters");
        var report = (await response.AssertProblemAsync(422, "importRejected")).GetProperty("report");
        Assert.Equal(151, report.GetProperty("rejected").GetInt64());
        var rejections = report.GetProperty("rejectedRows").EnumerateArray().ToList();
        Assert.Equal(100, rejections.Count);
        Assert.Equal(51, report.GetProperty("rejectedNotListed").GetInt64());
        var first = rejections[0];
        Assert.Equal(1, first.GetProperty("row").GetInt64());
        var reasons = first.GetProperty("errors").GetArrayLength();
        Assert.Equal(100, reasons);
        Assert.Equal(BadCodes - reasons, first.GetProperty("errorsOmitted").GetInt64());
        Assert.Equal(0, rejections[1].GetProperty("errorsOmitted").GetInt64());
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Security;

/// <summary>The import tests of ErrorAmplificationTests: a file of their own because they need the bulk import on the store (the PostgreSQL pass takes them when the import runs there).</summary>
public sealed partial class ErrorAmplificationTests
{
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

using System.Text;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Import;

/// <summary>
/// A row that is too long or never ends (a CSV quote never closed, an NDJSON line without end) is a
/// 400 problem naming the line where the row starts, never a 500; nothing is written.
/// </summary>
public sealed class BrokenImportRowTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Header = "reporterISO,partnerISO,period,flowCode,cmdCode,motCode,primaryValue,netWgt,qty,qtyUnitAbbr";
    private const string SourceId = "broken-import-rows";

    private readonly HttpClient _client = factory.CreateWriterClient();

    private async Task<string> ImportAsync(string mediaType, string body, string resource = "trade-records")
    {
        await _client.EnsureSourceAsync(SourceId);
        var query = resource == "trade-records" ? $"?sourceId={SourceId}" : "";
        var response = await _client.PostAsync($"/v1/{resource}/import{query}", new StringContent(body, Encoding.UTF8, mediaType));
        var problem = await response.AssertProblemAsync(400, "invalidImportBody");
        return problem.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_csv_quote_never_closed_is_a_400_naming_the_line()
    {
        var body = $"{Header}\nAZE,ISR,2020,X,27,0,5,,,\nAZE,ISR,2021,X,27,0,\"5,,,\n" + string.Concat(Enumerable.Repeat("AZE,ISR,2022,X,27,0,5,,,\n", 20));
        var detail = await ImportAsync("text/csv", body);
        Assert.Contains("line 3", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_csv_quote_never_closed_in_a_large_file_is_a_400_naming_the_line()
    {
        // Far beyond what the CSV reader buffers for one row.
        var body = $"{Header}\nAZE,ISR,2020,X,27,0,5,,,\nAZE,ISR,2021,X,27,0,\"" + new string('5', 17 * 1024 * 1024) + ",,,\n";
        var detail = await ImportAsync("text/csv", body);
        Assert.Contains("line 3", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_csv_row_too_long_is_a_400_naming_the_line()
    {
        var body = $"{Header}\nAZE,ISR,2020,X,27,0,5,,,\nAZE,ISR,2021,X,27,0,5,,,{new string('x', 2 * 1024 * 1024)}\nAZE,ISR,2022,X,27,0,5,,,\n";
        var detail = await ImportAsync("text/csv", body);
        Assert.Contains("line 3", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("trade-records")]
    [InlineData("sources")]
    public async Task An_ndjson_line_too_long_or_never_ended_is_a_400_naming_the_line(string resource)
    {
        const string Row = """{"reporter":"AZE","partner":"ISR","year":2020,"flow":"X","hs":"27"}""";
        var tooLong = $"{Row}\n{{\"notes\":\"{new string('x', 2 * 1024 * 1024)}\"}}\n{Row}\n";
        Assert.Contains("line 2", await ImportAsync("application/x-ndjson", tooLong, resource), StringComparison.OrdinalIgnoreCase);

        // The last line has no end: no newline, and a string that never closes.
        var neverEnded = $"{Row}\n{Row}\n{{\"notes\":\"{new string('x', 2 * 1024 * 1024)}";
        Assert.Contains("line 3", await ImportAsync("application/x-ndjson", neverEnded, resource), StringComparison.OrdinalIgnoreCase);
    }
}

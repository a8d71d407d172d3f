using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;
using Dapper;

namespace BilateralApi.Tests.TradeRecords;

/// <summary>The list tests of TradeRecordEndpointsTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class TradeRecordEndpointsTests
{
    [Fact]
    public async Task A_cursor_walk_returns_every_matching_row_once_in_order()
    {
        var source = await CreateSourceAsync("trade-walk-source");
        var expected = new List<long>();
        for (var year = 2000; year < 2011; year++)
        {
            expected.Add((await CreateAsync(Record(source, year: year, month: null))).GetProperty("id").GetInt64());
        }
        await CreateAsync(Record(source, year: 2000, month: null, flow: "M"));

        var seen = new List<long>();
        string? next = $"/v1/trade-records?sourceId={source}&flow=X&limit=3";
        var pages = 0;
        while (next is not null)
        {
            var response = await _client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            Assert.Equal(next is not null, response.Headers.Contains("Link"));
            pages++;
            if (pages == 2)
            {
                // Rows inserted mid-walk after the cursor position are seen; none is seen twice.
                expected.Add((await CreateAsync(Record(source, year: 2011, month: null))).GetProperty("id").GetInt64());
            }
        }

        Assert.Equal(expected, seen);
        Assert.Equal(4, pages);

        var first = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&flow=X&limit=3");
        var cursor = first.GetProperty("page").GetProperty("nextCursor").GetString();
        var reused = await _client.GetAsync($"/v1/trade-records?sourceId={source}&flow=M&limit=3&cursor={cursor}");
        await reused.AssertProblemAsync(400, "invalidParameter");
    }

    [Fact]
    public async Task List_filters_by_pair_year_range_hs_prefix_and_flow()
    {
        var source = await CreateSourceAsync("trade-filter-source");
        var wanted = new List<long>
        {
            (await CreateAsync(Record(source, "AZE", "ISR", 2020, null, "X", "2709"))).GetProperty("id").GetInt64(),
            (await CreateAsync(Record(source, "ISR", "AZE", 2023, null, "X", "271019"))).GetProperty("id").GetInt64(),
            (await CreateAsync(Record(source, "AZE", "ISR", 2021, 6, "X", "27"))).GetProperty("id").GetInt64(),
        };
        await CreateAsync(Record(source, "AZE", "ISR", 2019, null, "X", "2709"));   // year before the range
        await CreateAsync(Record(source, "AZE", "ISR", 2024, null, "X", "2709"));   // year after the range
        await CreateAsync(Record(source, "AZE", "ISR", 2021, null, "M", "2709"));   // other flow
        await CreateAsync(Record(source, "AZE", "ISR", 2021, null, "X", "8802"));   // other chapter
        await CreateAsync(Record(source, "AZE", "TUR", 2021, null, "X", "2709"));   // other pair
        await CreateAsync(Record(source, "TUR", "ISR", 2021, null, "X", "2709"));   // other pair

        var page = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&pair=ISR,AZE&year=2020..2023&hs=27&flow=X");

        Assert.Equal(wanted, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var country = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&country=TUR");
        Assert.Equal(2, country.GetProperty("items").GetArrayLength());
        var reporter = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&reporter=376&partner=31");
        Assert.Equal([wanted[1]], reporter.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var monthly = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&month=1..6&transportMode=0,2100&valueBasis=FOB&estimated=false");
        Assert.Equal([wanted[2]], monthly.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var noneOfModes = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&transportMode=!0");
        Assert.Equal(0, noneOfModes.GetProperty("items").GetArrayLength());
    }
}

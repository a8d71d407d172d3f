using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Dyads;

/// <summary>The analytics over the curated Azerbaijan–Israel seed dataset.</summary>
public sealed class SeededAnalyticsTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<int> CountAsync(string url)
    {
        var count = 0;
        for (var next = url; next is not null;)
        {
            var page = await _client.GetJsonAsync(next);
            count += page.GetProperty("items").GetArrayLength();
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        return count;
    }

    [Fact]
    public async Task The_AZE_ISR_dyad_agrees_with_the_lists_and_the_trade_records()
    {
        var dyad = await _client.GetJsonAsync("/v1/dyads/AZE/ISR");

        Assert.Equal(await CountAsync("/v1/events?pair=AZE,ISR&limit=500"), dyad.GetProperty("events").GetProperty("total").GetInt32());
        Assert.Equal(await CountAsync("/v1/agreements?pair=AZE,ISR&limit=500"), dyad.GetProperty("agreements").GetProperty("total").GetInt32());
        Assert.Equal(dyad.GetProperty("events").GetProperty("total").GetInt32(),
            dyad.GetProperty("events").GetProperty("byQuad").EnumerateArray().Sum(q => q.GetProperty("count").GetInt32()));
        var y2023 = dyad.GetProperty("trade").EnumerateArray().Single(t => t.GetProperty("year").GetInt32() == 2023 && t.GetProperty("hs").GetString() == "27");
        Assert.Equal("reporter", y2023.GetProperty("exports").GetProperty("from").GetString());
        Assert.Equal(1_394_000_000m, y2023.GetProperty("exports").GetProperty("figure").GetProperty("valueUsd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, y2023.GetProperty("imports").GetProperty("figure").ValueKind);
        Assert.Equal(JsonValueKind.Null, y2023.GetProperty("balanceUsd").ValueKind);
        Assert.Contains(dyad.GetProperty("sources").EnumerateArray(), s => s.GetProperty("id").GetString() == "seed-article");
        Assert.Contains(dyad.GetProperty("sources").EnumerateArray(), s => s.GetProperty("id").GetString() == "faktyoxla-az-oil-to-israel" && s.GetProperty("tradeRecords").GetInt32() > 0);

        var reversed = await _client.GetJsonAsync("/v1/dyads/ISR/AZE");
        Assert.Equal(dyad.GetProperty("events").GetRawText(), reversed.GetProperty("events").GetRawText());
        var r2023 = reversed.GetProperty("trade").EnumerateArray().Single(t => t.GetProperty("year").GetInt32() == 2023 && t.GetProperty("hs").GetString() == "27");
        Assert.Equal(1_394_000_000m, r2023.GetProperty("imports").GetProperty("figure").GetProperty("valueUsd").GetDecimal());
        Assert.Equal("mirror", r2023.GetProperty("imports").GetProperty("from").GetString());
    }

    [Fact]
    public async Task Azerbaijans_2023_oil_exports_to_Israel_are_8_58_percent_of_its_world_total()
    {
        var share = await _client.GetJsonAsync("/v1/trade/partner-share?reporter=AZE&partner=ISR&flow=X&hs=27&year=2023");

        var year = share.GetProperty("years")[0];
        Assert.Equal(8.5837m, year.GetProperty("sharePercent").GetDecimal());
        Assert.Equal("reportedWorldTotal", year.GetProperty("denominatorBasis").GetString());
    }

    [Fact]
    public async Task The_40_percent_claim_gets_an_honest_insufficient_data_answer()
    {
        var check = await _client.GetJsonAsync("/v1/claims/seed-article-israel-oil-share-40/check");

        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Equal(40m, check.GetProperty("claimed").GetProperty("value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("observed").ValueKind);
        var missing = check.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(missing, m => m.Contains("ISR") && m.Contains("2709"));
        Assert.Contains(missing, m => m.Contains("period"));
        Assert.Contains(check.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("mirror"));
    }
}

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
    public async Task Azerbaijans_2023_oil_export_share_is_not_computed_from_figures_no_release_gives()
    {
        var share = await _client.GetJsonAsync("/v1/trade/partner-share?reporter=AZE&partner=ISR&flow=X&hs=27&year=2023");
        Assert.All(share.GetProperty("years").EnumerateArray(), y => Assert.Equal(JsonValueKind.Null, y.GetProperty("sharePercent").ValueKind));

        // Faktyoxla's 8.4 % and the tonnages it rests on come from one page: the check does not judge one by the other.
        var check = await _client.GetJsonAsync("/v1/claims/faktyoxla-2023-israel-share-az-oil-exports-8-4/check");
        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Contains(check.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("AZE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_40_percent_claim_gets_an_honest_insufficient_data_answer()
    {
        var check = await _client.GetJsonAsync("/v1/claims/seed-article-israel-oil-share-40/check");

        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Equal(40m, check.GetProperty("claimed").GetProperty("value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("observed").ValueKind);
        var missing = check.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(missing, m => m.Contains("ISR") && m.Contains("HS 27"));
        Assert.Contains(missing, m => m.Contains("period"));
    }

    [Fact]
    public async Task The_AZE_ISR_dyad_agrees_with_the_lists_and_shows_no_trade_that_no_statistical_release_gives()
    {
        var dyad = await _client.GetJsonAsync("/v1/dyads/AZE/ISR");

        Assert.Equal(await CountAsync("/v1/events?pair=AZE,ISR&limit=500"), dyad.GetProperty("events").GetProperty("total").GetInt32());
        Assert.Equal(await CountAsync("/v1/agreements?pair=AZE,ISR&limit=500"), dyad.GetProperty("agreements").GetProperty("total").GetInt32());
        Assert.Equal(dyad.GetProperty("events").GetProperty("total").GetInt32(),
            dyad.GetProperty("events").GetProperty("byQuad").EnumerateArray().Sum(q => q.GetProperty("count").GetInt32()));
        // The seed's trade figures come from news pages, so they are claims, not trade records (decision 0026).
        Assert.Empty(dyad.GetProperty("trade").EnumerateArray());
        Assert.All(dyad.GetProperty("sources").EnumerateArray(), s => Assert.Equal(0, s.GetProperty("tradeRecords").GetInt32()));
        Assert.Contains(dyad.GetProperty("sources").EnumerateArray(), s => s.GetProperty("id").GetString() == "seed-article");
        var figures = await _client.GetJsonAsync("/v1/claims?pair=AZE,ISR&indicator=tradeValue&period=2023&limit=500");
        Assert.Contains(figures.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == "faktyoxla-2023-az-oil-exports-israel-usd");

        var reversed = await _client.GetJsonAsync("/v1/dyads/ISR/AZE");
        Assert.Equal(dyad.GetProperty("events").GetRawText(), reversed.GetProperty("events").GetRawText());
    }
}

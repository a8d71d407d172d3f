using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Dyads;

/// <summary>The list tests of SeededAnalyticsTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class SeededAnalyticsTests
{
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

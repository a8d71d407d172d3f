using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Seed;

/// <summary>The list tests of SeedDatasetTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class SeedDatasetTests
{
    [Fact]
    public async Task Calendar_month_trade_figures_from_news_pages_are_claims_with_their_source()
    {
        var january = await _client.GetJsonAsync("/v1/trade-records?reporter=AZE&partner=ISR&year=2024&month=1&flow=X");
        Assert.Empty(january.GetProperty("items").EnumerateArray());

        var tonnes = await _client.GetJsonAsync("/v1/claims/jpost-2024-01-az-oil-exports-israel-tonnes");
        Assert.Equal(("tradeValue", "27", "2024-01"), (tonnes.GetProperty("indicator").GetString(), tonnes.GetProperty("hs").GetString(), tonnes.GetProperty("period").GetProperty("value").GetString()));
        Assert.Equal(523500m, tonnes.GetProperty("value").GetDecimal());
        Assert.Equal("tonnes", tonnes.GetProperty("unit").GetString());
        var source = tonnes.GetProperty("citations")[0].GetProperty("sourceId").GetString()!;
        Assert.Equal(System.Net.HttpStatusCode.OK, (await _client.GetAsync($"/v1/sources/{source}")).StatusCode);
    }

    [Fact]
    public async Task Disputed_statements_are_stored_as_disputed()
    {
        var interception = await _client.GetJsonAsync("/v1/events/barak-8-iskander-interception-baku-2020-11");
        Assert.Equal("disputed", interception.GetProperty("verification").GetString());
        Assert.Equal("month", interception.GetProperty("date").GetProperty("precision").GetString());
        AssertCitesArticle(interception, "paragraph 14");
        Assert.Contains(interception.GetProperty("citations").EnumerateArray(), c => c.GetProperty("supports").GetString() == "contradicts");

        var disputed = await _client.GetJsonAsync("/v1/events?verification=disputed&limit=500");
        Assert.True(disputed.GetProperty("items").GetArrayLength() >= 3);
    }

    [Fact]
    public async Task Every_curated_record_cites_at_least_one_source_and_the_pair_has_a_history()
    {
        foreach (var resource in new[] { "agreements", "events", "claims" })
        {
            string? next = $"/v1/{resource}?limit=500";
            var count = 0;
            while (next is not null)
            {
                var page = await _client.GetJsonAsync(next);
                foreach (var item in page.GetProperty("items").EnumerateArray())
                {
                    Assert.True(item.GetProperty("citations").GetArrayLength() >= 1, $"{resource}/{item.GetProperty("id")} has no citation");
                    count++;
                }
                next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            }
            Assert.True(count >= 10, $"only {count} {resource} in the seed");
        }

        var pairEvents = await _client.GetJsonAsync("/v1/events?pair=AZE,ISR&date=2023&limit=500");
        Assert.True(pairEvents.GetProperty("items").GetArrayLength() >= 5);
    }

    [Fact]
    public async Task Socar_gas_licence_award_of_october_2023_and_the_forty_percent_claim()
    {
        var award = await _client.GetJsonAsync("/v1/events/isr-gas-licence-award-socar-bp-newmed-2023-10-29");
        Assert.StartsWith("2023-10", Date(award), StringComparison.Ordinal);
        AssertCitesArticle(award, "paragraph 7");
        Assert.Contains(award.GetProperty("participants").EnumerateArray(), p => p.GetProperty("name").GetString() == "SOCAR");

        var claim = await _client.GetJsonAsync("/v1/claims/seed-article-israel-oil-share-40");
        Assert.Equal(40m, claim.GetProperty("value").GetDecimal());
        Assert.Equal("percent", claim.GetProperty("unit").GetString());
        Assert.Equal("about", claim.GetProperty("qualifier").GetString());
        Assert.Equal("ISR", claim.GetProperty("reporter").GetString());
        Assert.Equal("AZE", claim.GetProperty("partner").GetString());
        Assert.Equal("importPartnerShare", claim.GetProperty("indicator").GetString());
        AssertCitesArticle(claim, "paragraph 7");

        // The conflicting estimates of the same share are separate claims, each citing its own source.
        var shares = await _client.GetJsonAsync("/v1/claims?indicator=importPartnerShare&reporter=ISR&partner=AZE&limit=500");
        var others = shares.GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("citations").EnumerateArray().All(x => x.GetProperty("sourceId").GetString() != "seed-article")).ToList();
        Assert.True(others.Count >= 3, "expected the other estimates of Israel's oil share from other sources");
    }
}

using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Seed;

/// <summary>
/// A fresh database carries the curated Azerbaijan–Israel relationship: the article's key facts are
/// there, dated as precisely as the sources allow, and cited with the paragraph they come from.
/// </summary>
public sealed class SeedDatasetTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static void AssertCitesArticle(JsonElement record, string paragraph) =>
        Assert.Contains(record.GetProperty("citations").EnumerateArray(),
            c => c.GetProperty("sourceId").GetString() == "seed-article" && c.GetProperty("locator").GetString() == paragraph);

    private static string Date(JsonElement record, string member = "date") =>
        record.GetProperty(member).GetProperty("value").GetString()!;

    [Fact]
    public async Task The_article_is_a_source_without_invented_publisher_url_or_date()
    {
        var article = await _client.GetJsonAsync("/v1/sources/seed-article");

        Assert.Equal("Rufat Ahmadzada", article.GetProperty("author").GetString());
        Assert.Equal("Azerbaijan-Israel Strategic Relationship Proves Its Importance", article.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, article.GetProperty("publisher").ValueKind);
        Assert.Equal(JsonValueKind.Null, article.GetProperty("url").ValueKind);
        Assert.Equal(JsonValueKind.Null, article.GetProperty("publishedOn").ValueKind);
        Assert.Equal("analysisOpinion", article.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Diplomatic_presence_trade_office_2021_and_embassy_2023()
    {
        var office = await _client.GetJsonAsync("/v1/events/az-trade-office-tel-aviv-opening-2021-07-29");
        Assert.Equal("2021-07-29", Date(office));
        Assert.Equal("representationOfficeOpening", office.GetProperty("subtype").GetString());
        AssertCitesArticle(office, "paragraph 1");

        var embassy = await _client.GetJsonAsync("/v1/events/az-embassy-tel-aviv-opening-2023-03-29");
        Assert.Equal("2023-03-29", Date(embassy));
        Assert.Equal("day", embassy.GetProperty("date").GetProperty("precision").GetString());
        Assert.Equal("embassyOpening", embassy.GetProperty("subtype").GetString());
        Assert.Equal(1, embassy.GetProperty("quad").GetInt32());
        AssertCitesArticle(embassy, "paragraph 1");
        Assert.Contains(embassy.GetProperty("participants").EnumerateArray(), p => p.GetProperty("country").GetString() == "AZE");
    }

    [Fact]
    public async Task Education_programme_2023_2026_is_an_agreement_between_the_two_governments()
    {
        var programme = await _client.GetJsonAsync("/v1/agreements/az-il-education-programme-2023-2026");

        Assert.Equal("programme", programme.GetProperty("type").GetString());
        Assert.Equal("2026", Date(programme, "validUntil"));
        Assert.Equal("2023-04-19", Date(programme, "signed"));
        Assert.Equal(["AZE", "ISR"], programme.GetProperty("parties").EnumerateArray().Select(p => p.GetProperty("country").GetString()).Order());
        Assert.Contains("education", programme.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
        AssertCitesArticle(programme, "paragraph 2");
    }

    [Fact]
    public async Task Hajiyev_visit_of_december_2024_and_the_trilateral_proposal()
    {
        var visit = await _client.GetJsonAsync("/v1/events/hajiyev-visit-israel-2024-12");
        Assert.StartsWith("2024-12", Date(visit), StringComparison.Ordinal);
        Assert.Contains(visit.GetProperty("participants").EnumerateArray(), p => p.GetProperty("name").GetString() == "Hikmet Hajiyev");
        AssertCitesArticle(visit, "paragraph 18");

        var trilateral = await _client.GetJsonAsync("/v1/agreements/az-isr-tur-trilateral-format-proposal");
        Assert.Equal("proposed", trilateral.GetProperty("status").GetString());
        Assert.Equal(["AZE", "ISR", "TUR"], trilateral.GetProperty("parties").EnumerateArray().Select(p => p.GetProperty("country").GetString()).Order());
        AssertCitesArticle(trilateral, "paragraph 19");
    }


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

using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Seed;

/// <summary>
/// A fresh database carries the curated Azerbaijan–Israel relationship: the article's key facts are
/// there, dated as precisely as the sources allow, and cited with the paragraph they come from.
/// </summary>
public sealed partial class SeedDatasetTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
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

}

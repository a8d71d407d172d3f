using System.Net;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Querying;

public sealed class SearchTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Q_searches_the_text_of_a_list_and_ranks_with_sort_relevance()
    {
        var page = await _client.GetJsonAsync("/v1/events?q=embassy&sort=relevance&fields=id,title&limit=100");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal(["id", "title"], i.EnumerateObject().Select(p => p.Name)));
        Assert.Contains(items, i => i.GetProperty("title").GetString()!.Contains("embassy", StringComparison.OrdinalIgnoreCase));

        var titleOnly = await _client.GetJsonAsync("/v1/events?q=embassy&searchFields=title&limit=100");
        Assert.True(titleOnly.GetProperty("items").GetArrayLength() <= items.Count);
        Assert.All(titleOnly.GetProperty("items").EnumerateArray(), i => Assert.Contains("mbass", i.GetProperty("title").GetString()!, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(")]
    [InlineData("title:embassy OR *")]
    [InlineData("'); DROP TABLE event; --")]
    public async Task Plain_search_never_passes_fts_syntax_through(string q)
    {
        var response = await _client.GetAsync($"/v1/events?q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await _client.GetAsync($"/v1/events?q={Uri.EscapeDataString(q)}&searchMode=raw");
        Assert.True(raw.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_finds_records_of_every_kind_and_links_to_them()
    {
        var page = await _client.GetJsonAsync("/v1/search?q=Israel&limit=200");
        var hits = page.GetProperty("items").EnumerateArray().ToList();
        var kinds = hits.Select(h => h.GetProperty("kind").GetString()).Distinct().ToList();
        Assert.Contains("agreement", kinds);
        Assert.Contains("event", kinds);
        Assert.Contains("source", kinds);
        Assert.Contains("claim", kinds);
        var ranks = hits.Select(h => h.GetProperty("rank").GetDouble()).ToList();
        Assert.Equal(ranks.Order(), ranks);
        var first = hits[0];
        var linked = await _client.GetAsync(first.GetProperty("href").GetString());
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);

        var walked = new List<string>();
        string? next = "/v1/search?q=Israel&limit=7";
        while (next is not null)
        {
            var p = await _client.GetJsonAsync(next);
            walked.AddRange(p.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("kind").GetString() + "/" + h.GetProperty("id").GetString()));
            next = p.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        Assert.Equal(hits.Select(h => h.GetProperty("kind").GetString() + "/" + h.GetProperty("id").GetString()), walked);
        await (await _client.GetAsync("/v1/search?q=")).AssertProblemAsync(400, "invalidParameter");
        await (await _client.GetAsync("/v1/search?q=x&kind=treaty")).AssertProblemAsync(400, "invalidParameter");
    }

    [Fact]
    public async Task Filters_on_related_rows_work_inside_or_and_expand_adds_names_and_sources()
    {
        var page = await _client.GetJsonAsync("/v1/agreements?filter=" + Uri.EscapeDataString("parties.country eq 'TUR' or type eq 'licence'") + "&expand=countryNames,citations.source&limit=100");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.True(
            i.GetProperty("type").GetString() == "licence" || i.GetProperty("parties").EnumerateArray().Any(p => p.GetProperty("country").GetString() == "TUR")));
        var party = items[0].GetProperty("parties")[0];
        Assert.False(string.IsNullOrEmpty(party.GetProperty("countryName").GetString()));
        var citation = items[0].GetProperty("citations")[0];
        Assert.Equal(citation.GetProperty("sourceId").GetString(), citation.GetProperty("source").GetProperty("id").GetString());

        var none = await _client.GetJsonAsync("/v1/agreements?filter=" + Uri.EscapeDataString("not (parties.country eq 'AZE')") + "&limit=100");
        Assert.All(none.GetProperty("items").EnumerateArray(), i => Assert.DoesNotContain(i.GetProperty("parties").EnumerateArray(), p => p.GetProperty("country").GetString() == "AZE"));

        var facets = await _client.GetJsonAsync("/v1/events?facet=date:year,participants.country&limit=1");
        Assert.Contains(facets.GetProperty("facets").GetProperty("date:year").EnumerateArray(), f => f.GetProperty("value").GetString() == "2023");
        Assert.Contains(facets.GetProperty("facets").GetProperty("participants.country").EnumerateArray(), f => f.GetProperty("value").GetString() == "ISR");
    }
}

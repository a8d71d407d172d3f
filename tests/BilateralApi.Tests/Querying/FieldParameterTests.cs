using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Querying;

/// <summary>
/// The per-field parameters every list takes for the fields of its field map that have no parameter of
/// their own: each means the same as its condition in filter=, is declared in the OpenAPI document with
/// an example, and a malformed value is a 400 naming it.
/// </summary>
public sealed class FieldParameterTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<List<string>> IdsAsync(string url)
    {
        var ids = new List<string>();
        for (var next = url; next is not null;)
        {
            var page = await _client.GetJsonAsync(next);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i =>
                (i.TryGetProperty("key", out var key) ? key : i.TryGetProperty("id", out var id) ? id : i.GetProperty("code")).ToString()));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        return ids;
    }

    [Theory]
    [InlineData("/v1/sources", "publisher=AzerNews", "publisher eq 'AzerNews'")]
    [InlineData("/v1/sources", "publisher=!AzerNews,Trend News Agency", "not (publisher in ('AzerNews', 'Trend News Agency'))")]
    [InlineData("/v1/sources", "id=seed-article,jewishpress-2021-04-28-az-trade-tourism-offices", "id in ('seed-article', 'jewishpress-2021-04-28-az-trade-tourism-offices')")]
    [InlineData("/v1/sources", "publishedOn=2023-03", "publishedOn eq '2023-03'")]
    [InlineData("/v1/agreements", "valueUsd=1000000000..", "valueUsd ge 1000000000")]
    [InlineData("/v1/agreements", "valueUsd=..200000000", "valueUsd le 200000000")]
    [InlineData("/v1/agreements", "place=Baku", "place eq 'Baku'")]
    [InlineData("/v1/agreements", "parties.role=licensee", "parties.role eq 'licensee'")]
    [InlineData("/v1/agreements", "parties.role=!licensee,signatory", "not (parties.role in ('licensee', 'signatory'))")]
    [InlineData("/v1/agreements", "citations.sourceId=seed-article", "citations.sourceId eq 'seed-article'")]
    [InlineData("/v1/agreements", "parties.country=TR", "parties.country eq 'TUR'")]
    [InlineData("/v1/events", "participants.name=Ilham Aliyev", "participants.name eq 'Ilham Aliyev'")]
    [InlineData("/v1/events", "location.place=Baku,Jerusalem", "location.place in ('Baku', 'Jerusalem')")]
    [InlineData("/v1/events", "contexts=economic&subjects=energy", "contexts eq 'economic' and subjects eq 'energy'")]
    [InlineData("/v1/events", "title=Israel opens its embassy in Baku", "title eq 'Israel opens its embassy in Baku'")]
    [InlineData("/v1/claims", "value=30..50", "value ge 30 and value le 50")]
    [InlineData("/v1/claims", "citations.sourceId=seed-article", "citations.sourceId eq 'seed-article'")]
    [InlineData("/v1/trade-records", "valueUsd=1000000000..", "valueUsd ge 1000000000")]
    [InlineData("/v1/trade-records", "netWeightKg=!2200000000", "not (netWeightKg eq 2200000000)")]
    [InlineData("/v1/countries", "alpha2=AZ,IL", "alpha2 in ('AZ', 'IL')")]
    [InlineData("/v1/countries", "validTo=1990..1995", "validTo ge '1990' and validTo le '1995'")]
    [InlineData("/v1/commodities", "code=2709,27", "code in ('2709', '27')")]
    [InlineData("/v1/dyads/AZE/ISR/timeline", "subjects=education", "subjects eq 'education'")]
    [InlineData("/v1/dyads/AZE/ISR/timeline", "key=agreement/az-il-education-programme-2023-2026/signed", "key eq 'agreement/az-il-education-programme-2023-2026/signed'")]
    public async Task A_parameter_means_its_condition_in_filter(string list, string parameter, string filter)
    {
        await ImportedTrade.EnsureAsync(factory);
        var byParameter = await IdsAsync($"{list}?{parameter}&limit=7");
        var byFilter = await IdsAsync($"{list}?filter={Uri.EscapeDataString(filter)}&limit=500");

        Assert.NotEmpty(byParameter);
        Assert.Equal(byFilter, byParameter);
        Assert.True(byParameter.Count < (await IdsAsync($"{list}?limit=500")).Count, "The parameter should select a subset.");
    }

    [Fact]
    public async Task Values_are_as_on_the_records()
    {
        var sources = (await _client.GetJsonAsync("/v1/sources?publisher=AzerNews&limit=500")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, sources.Count);
        Assert.All(sources, s => Assert.Equal("AzerNews", s.GetProperty("publisher").GetString()));

        var agreements = await IdsAsync("/v1/agreements?valueUsd=1000000000..");
        Assert.Equal(["az-barak-mx-purchase-2023", "az-il-arms-contract-2011"], agreements.Order(StringComparer.Ordinal));

        var countries = await IdsAsync("/v1/countries?alpha2=AZ,IL");
        Assert.Equal(["AZE", "ISR"], countries);
    }

    [Theory]
    [InlineData("/v1/agreements?valueUsd=lots", "valueUsd")]
    [InlineData("/v1/events?intensity=strong", "intensity")]
    [InlineData("/v1/events?createdAt=", "createdAt")]
    [InlineData("/v1/agreements?parties.country=1..2", "parties.country")]
    [InlineData("/v1/agreements?parties.country=XX", "parties.country")]
    [InlineData("/v1/sources?publishedOn=2023-13", "publishedOn")]
    [InlineData("/v1/countries?validFrom=yesterday", "validFrom")]
    [InlineData("/v1/trade-records?valueUsd=99999999999999999999999", "valueUsd")]
    [InlineData("/v1/events?intensity=1e400", "intensity")]
    public async Task A_malformed_value_is_a_400_naming_the_parameter(string url, string parameter)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(400, "invalidParameter");
        Assert.NotEmpty(problem.FieldErrors(parameter));
    }

    [Theory]
    [InlineData("valueUsd gt 99999999999999999999999")]
    [InlineData("valueUsd gt 1e400")]
    public async Task A_number_out_of_range_in_filter_is_an_invalid_filter(string filter)
    {
        var problem = await (await _client.GetAsync("/v1/agreements?filter=" + Uri.EscapeDataString(filter))).AssertProblemAsync(400, "invalidFilter");
        Assert.True(problem.GetProperty("position").GetInt32() > 1);
    }

    [Fact]
    public async Task A_parameter_given_twice_or_unknown_is_a_400()
    {
        await (await _client.GetAsync("/v1/sources?publisher=AzerNews&publisher=Jewish%20Press")).AssertProblemAsync(400, "invalidParameter");
        var unknown = await (await _client.GetAsync("/v1/sources?Publisher=AzerNews")).AssertProblemAsync(400, "unknownParameter");
        Assert.Contains("Did you mean 'publisher'?", unknown.FieldErrors("Publisher")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cursor_is_bound_to_the_parameters()
    {
        var first = await _client.GetJsonAsync("/v1/sources?publisher=!AzerNews&limit=2");
        var next = first.GetProperty("page").GetProperty("next").GetString()!;
        Assert.Contains("publisher=", next, StringComparison.Ordinal);
        var cursor = first.GetProperty("page").GetProperty("nextCursor").GetString()!;

        await (await _client.GetAsync($"/v1/sources?publisher=!Jewish%20Press&limit=2&cursor={Uri.EscapeDataString(cursor)}")).AssertProblemAsync(400, "invalidParameter");
    }

    [Fact]
    public async Task Every_list_declares_a_parameter_for_every_field_with_a_description_and_an_example()
    {
        var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var fields = new Dictionary<string, string[]>
        {
            ["/v1/sources"] = ["id", "type", "author", "publisher", "title", "url", "publishedOn", "retrievedOn", "reliability", "licence", "createdAt", "updatedAt"],
            ["/v1/events"] = ["id", "title", "date", "type", "intensity", "location.country", "location.place", "participants.role", "participants.name", "contexts", "citations.sourceId"],
            ["/v1/countries"] = ["code", "alpha2", "numeric", "name", "officialName", "historical", "validFrom", "validTo"],
            ["/v1/dyads/{a}/{b}/timeline"] = ["key", "id", "kind", "milestone", "date", "title", "type", "status", "quad", "subjects"],
        };
        foreach (var (path, names) in fields)
        {
            var parameters = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("in").GetString() == "query").ToList();
            Assert.Equal(parameters.Count, parameters.Select(p => p.GetProperty("name").GetString()).Distinct().Count());
            foreach (var name in names)
            {
                var parameter = Assert.Single(parameters, p => p.GetProperty("name").GetString() == name);
                Assert.False(string.IsNullOrWhiteSpace(parameter.GetProperty("description").GetString()), $"{path} {name}");
                Assert.True(ExampleOf(parameter) is not null, $"{path} {name} has no example");
            }
        }
    }

    /// <summary>
    /// A parameter's example: its `example`, or for the optional query parameters of reads the one its
    /// description gives ("Example: `name=value`.", decision 0020).
    /// </summary>
    private static string? ExampleOf(JsonElement parameter)
    {
        if (parameter.TryGetProperty("example", out var example))
        {
            return example.ToString();
        }
        var name = parameter.GetProperty("name").GetString()!;
        var match = System.Text.RegularExpressions.Regex.Match(parameter.GetProperty("description").GetString()!, $"Example: `{System.Text.RegularExpressions.Regex.Escape(name)}=(.*)`\\.$");
        return match.Success ? match.Groups[1].Value : null;
    }

    [Fact]
    public async Task Every_documented_example_of_a_list_parameter_is_accepted_by_that_list()
    {
        // Not sent alone: a cursor is bound to its query, searchMode and searchFields need q=, and q= applies
        // only to the lists with text.
        string[] notAlone = ["cursor", "q", "searchMode", "searchFields"];
        var document = JsonDocument.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var checkedCount = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get) || get.GetProperty("operationId").GetString() is not { } id || !id.StartsWith("list", StringComparison.Ordinal)
                || !get.GetProperty("parameters").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "filter"))
            {
                continue;
            }
            var url = path.Name.Replace("{a}", "AZE", StringComparison.Ordinal).Replace("{b}", "ISR", StringComparison.Ordinal);
            foreach (var parameter in get.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                if (notAlone.Contains(name) || ExampleOf(parameter) is not { } example)
                {
                    continue;
                }
                if (parameter.GetProperty("schema").TryGetProperty("pattern", out var pattern))
                {
                    Assert.Matches(pattern.GetString()!, example);
                }
                var response = await _client.GetAsync($"{url}?{Uri.EscapeDataString(name)}={Uri.EscapeDataString(example)}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} {name}={example}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 100, $"Only {checkedCount} list parameters found.");
    }
}

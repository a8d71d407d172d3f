using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Claims;

/// <summary>The list tests of ClaimEndpointsTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class ClaimEndpointsTests
{
    [Theory]
    [InlineData("40.125")]
    [InlineData("0.1")]
    [InlineData("40.0")]
    [InlineData("99.99999999999999999999")]
    public async Task Decimal_values_round_trip_exactly(string value)
    {
        var source = await SourceAsync($"claims-decimal-{value.Replace('.', '-')}");
        var json = JsonSerializer.Serialize(NewClaim(null, source, ("value", 0m)), BilateralApi.Infrastructure.Json.JsonDefaults.Options).Replace("\"value\":0", $"\"value\":{value}", StringComparison.Ordinal);
        var id = $"claims-decimal-{value.Replace('.', '-')}";

        var created = await _client.PutAsync($"/v1/claims/{id}", Json.Body(json));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(value, (await created.ReadJsonAsync()).GetProperty("value").GetRawText());
        var fetched = await _client.GetJsonAsync($"/v1/claims/{id}");
        Assert.Equal(value, fetched.GetProperty("value").GetRawText());
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), fetched.GetProperty("value").GetDecimal());
        var listed = await _client.GetJsonAsync($"/v1/claims?sourceId={source}");
        Assert.Equal(value, listed.GetProperty("items")[0].GetProperty("value").GetRawText());
    }

    [Fact]
    public async Task Walking_all_pages_returns_every_matching_claim_once_in_order()
    {
        var source = await SourceAsync("claims-walk-source");
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var id = $"cw-claim-{(char)('g' - i)}";
            await CreateAsync(NewClaim(id, source, ("value", 10m + i)));
            expected.Add(id);
        }
        await CreateAsync(NewClaim("cw-claim-not-matching", source, ("indicator", "supplierRank"), ("unit", "rank"), ("value", 1m)));
        expected.Sort(StringComparer.Ordinal);

        var ids = new List<string>();
        string? next = $"/v1/claims?sourceId={source}&indicator=importPartnerShare&limit=3";
        var pages = 0;
        while (next is not null)
        {
            var response = await _client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadJsonAsync();
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.All(items, item => Assert.Equal(source, item.GetProperty("citations")[0].GetProperty("sourceId").GetString()));
            ids.AddRange(items.Select(item => item.GetProperty("id").GetString()!));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            Assert.Equal(next is not null, response.Headers.Contains("Link"));
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(expected, ids);

        var first = await _client.GetJsonAsync($"/v1/claims?sourceId={source}&indicator=importPartnerShare&limit=3");
        var cursor = first.GetProperty("page").GetProperty("nextCursor").GetString();
        var reused = await _client.GetAsync($"/v1/claims?sourceId={source}&indicator=supplierRank&limit=3&cursor={cursor}");
        Assert.NotEmpty((await reused.AssertProblemAsync(400, "invalidParameter")).FieldErrors("cursor"));
    }

    [Fact]
    public async Task List_filters_by_indicator_reporter_pair_hs_period_and_source()
    {
        var source = await SourceAsync("claims-filter-source");
        var other = await SourceAsync("claims-filter-other");
        await CreateAsync(NewClaim("cf-share-isr-aze-oil-2023", source, ("period", Period("2023"))));
        await CreateAsync(NewClaim("cf-share-aze-isr-total", source, ("indicator", "exportPartnerShare"), ("reporter", "AZE"), ("partner", "ISR"), ("flow", "X"), ("hs", "TOTAL"), ("period", Period("2021-01", "2021-07"))));
        await CreateAsync(NewClaim("cf-value-aze-ita-oil", source, ("indicator", "tradeValue"), ("unit", "usd"), ("value", 713000000m), ("reporter", "AZE"), ("partner", "ITA"), ("hs", "2710"), ("flow", "X")));
        await CreateAsync(NewClaim("cf-share-isr-kaz-wheat", source, ("reporter", "ISR"), ("partner", "KAZ"), ("hs", "1001"), ("period", Period("2024-03-15"))));
        await CreateAsync(NewClaim("cf-other-source", other));
        var bySource = $"sourceId={source}";

        Assert.Equal(["cf-share-aze-isr-total", "cf-share-isr-aze-oil-2023", "cf-share-isr-kaz-wheat", "cf-value-aze-ita-oil"], await IdsAsync($"/v1/claims?{bySource}"));
        Assert.Equal(["cf-other-source"], await IdsAsync($"/v1/claims?sourceId={other}"));
        var notFromSource = await IdsAsync($"/v1/claims?sourceId=!{source}&pair=AZE,ISR&limit=500");
        Assert.Contains("cf-other-source", notFromSource);
        Assert.DoesNotContain("cf-share-isr-aze-oil-2023", notFromSource);

        Assert.Equal(["cf-value-aze-ita-oil"], await IdsAsync($"/v1/claims?{bySource}&indicator=tradeValue"));
        Assert.Equal(["cf-share-isr-aze-oil-2023", "cf-share-isr-kaz-wheat", "cf-value-aze-ita-oil"], await IdsAsync($"/v1/claims?{bySource}&indicator=!exportPartnerShare"));
        Assert.Equal(["cf-share-isr-aze-oil-2023", "cf-share-isr-kaz-wheat"], await IdsAsync($"/v1/claims?{bySource}&reporter=IL"));
        Assert.Equal(["cf-share-aze-isr-total", "cf-value-aze-ita-oil"], await IdsAsync($"/v1/claims?{bySource}&reporter=031"));
        Assert.Equal(["cf-share-aze-isr-total", "cf-share-isr-aze-oil-2023"], await IdsAsync($"/v1/claims?{bySource}&pair=ISR,AZE"));
        Assert.Equal(["cf-share-aze-isr-total", "cf-share-isr-aze-oil-2023", "cf-value-aze-ita-oil"], await IdsAsync($"/v1/claims?{bySource}&country=AZE"));
        Assert.Equal(["cf-share-isr-aze-oil-2023", "cf-value-aze-ita-oil"], await IdsAsync($"/v1/claims?{bySource}&hs=27"));
        Assert.Equal(["cf-share-aze-isr-total"], await IdsAsync($"/v1/claims?{bySource}&hs=TOTAL"));
        Assert.Equal(["cf-share-aze-isr-total", "cf-share-isr-kaz-wheat"], await IdsAsync($"/v1/claims?{bySource}&hs=!27"));
        Assert.Equal(["cf-share-isr-aze-oil-2023"], await IdsAsync($"/v1/claims?{bySource}&period=2023-06"));
        Assert.Equal(["cf-share-aze-isr-total", "cf-share-isr-aze-oil-2023"], await IdsAsync($"/v1/claims?{bySource}&period=2021-07..2023"));
        Assert.Equal(["cf-share-isr-aze-oil-2023", "cf-share-isr-kaz-wheat"], await IdsAsync($"/v1/claims?{bySource}&period=2022.."));
        Assert.Equal(["cf-value-aze-ita-oil"], await IdsAsync($"/v1/claims?{bySource}&unit=usd&flow=X&qualifier=about&basis=unknown"));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Claims;

public sealed class ClaimEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    /// <summary>Creates (or keeps) a source for the test's claims to cite.</summary>
    private async Task<string> SourceAsync(string id)
    {
        var response = await _client.PutAsync($"/v1/sources/{id}", Json.Body(new
        {
            id,
            type = "news",
            author = (string?)null,
            publisher = "Trend",
            title = $"Source {id}",
            url = (string?)null,
            publishedOn = "2023-05-30",
            retrievedOn = "2026-11-27",
            reliability = "B",
            licence = (string?)null,
            notes = (string?)null,
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    /// <summary>A valid claim body; members can be overridden by name.</summary>
    private static Dictionary<string, object?> NewClaim(string? id, string sourceId, params (string Name, object? Value)[] overrides)
    {
        var claim = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["text"] = "Around 40 percent of Israel's oil imports come from Azerbaijan",
            ["indicator"] = "importPartnerShare",
            ["reporter"] = "ISR",
            ["partner"] = "AZE",
            ["flow"] = "M",
            ["hs"] = "2709",
            ["period"] = null,
            ["value"] = 40m,
            ["valueTo"] = null,
            ["unit"] = "percent",
            ["qualifier"] = "about",
            ["basis"] = "unknown",
            ["notes"] = null,
            ["citations"] = new[] { new { sourceId, locator = "paragraph 7", quote = (string?)null, supports = "asserts" } },
        };
        foreach (var (name, value) in overrides)
        {
            claim[name] = value;
        }
        return claim;
    }

    private static object Period(string value, string? to = null) => new { value, precision = (string?)null, to, inferred = (bool?)null };

    private async Task CreateAsync(Dictionary<string, object?> claim)
    {
        var response = await _client.PostAsync("/v1/claims", Json.Body(claim));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<string>> IdsAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var page = await response.ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task Crud_round_trip_with_etags_and_if_match()
    {
        var source = await SourceAsync("claims-crud-source");

        var text = "Round trip: Around 40 percent of Israel's oil imports come from Azerbaijan";
        var created = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, source, ("text", text), ("reporter", "IL"), ("period", Period("2023")))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/claims/round-trip-around-40-percent-of-israel-s-oil-imports-come-from-azerbaijan", created.Headers.Location?.OriginalString);
        Assert.Equal(text, (await created.ReadJsonAsync()).GetProperty("text").GetString());
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var body = await created.ReadJsonAsync();
        Assert.Equal("ISR", body.GetProperty("reporter").GetString());
        Assert.Equal("year", body.GetProperty("period").GetProperty("precision").GetString());
        Assert.False(body.GetProperty("period").GetProperty("inferred").GetBoolean());
        Assert.Equal(source, body.GetProperty("citations")[0].GetProperty("sourceId").GetString());
        Assert.Equal("paragraph 7", body.GetProperty("citations")[0].GetProperty("locator").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        var url = created.Headers.Location!.OriginalString;

        var fetched = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("\"1\"", fetched.Headers.ETag?.Tag);
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.IfNoneMatch.Add(fetched.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);
        }

        var again = await _client.PostAsync("/v1/claims", Json.Body(NewClaim("round-trip-around-40-percent-of-israel-s-oil-imports-come-from-azerbaijan", source)));
        await again.AssertProblemAsync(409, "alreadyExists");

        await (await _client.PutAsync(url, Json.Body(NewClaim(null, source)))).AssertProblemAsync(428, "preconditionRequired");

        using (var replace = new HttpRequestMessage(HttpMethod.Put, url) { Content = Json.Body(NewClaim(null, source, ("value", 33.5m), ("qualifier", "exact"))) })
        {
            var replaced = await _client.SendAsync(replace.WithIfMatch("\"1\""));
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);
            var replacedBody = await replaced.ReadJsonAsync();
            Assert.Equal(33.5m, replacedBody.GetProperty("value").GetDecimal());
            Assert.Equal(JsonValueKind.Null, replacedBody.GetProperty("period").ValueKind);
            Assert.Equal(body.GetProperty("createdAt").GetString(), replacedBody.GetProperty("createdAt").GetString());
        }

        using (var stale = new HttpRequestMessage(HttpMethod.Put, url) { Content = Json.Body(NewClaim(null, source)) })
        {
            await (await _client.SendAsync(stale.WithIfMatch("\"1\""))).AssertProblemAsync(412, "preconditionFailed");
        }

        using (var patch = new HttpRequestMessage(HttpMethod.Patch, url)
        {
            Content = Json.Body("""{ "notes": "Coded by hand.", "hs": null, "valueTo": 36 }""", "application/merge-patch+json"),
        })
        {
            var patched = await _client.SendAsync(patch.WithIfMatch("\"2\""));
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var patchedBody = await patched.ReadJsonAsync();
            Assert.Equal("Coded by hand.", patchedBody.GetProperty("notes").GetString());
            Assert.Equal(JsonValueKind.Null, patchedBody.GetProperty("hs").ValueKind);
            Assert.Equal("33.5", patchedBody.GetProperty("value").GetRawText());
            Assert.Equal("36", patchedBody.GetProperty("valueTo").GetRawText());
            Assert.Equal(source, patchedBody.GetProperty("citations")[0].GetProperty("sourceId").GetString());
            Assert.Equal(3, patchedBody.GetProperty("version").GetInt64());
        }

        await (await _client.DeleteAsync(url)).AssertProblemAsync(428, "preconditionRequired");
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, url))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete.WithIfMatch("\"3\""))).StatusCode);
        }
        await (await _client.GetAsync(url)).AssertProblemAsync(404, "notFound");

        // The citations went with the claim: the source is no longer cited and can be deleted.
        using var deleteSource = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sources/{source}");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(deleteSource.WithIfMatch("\"1\""))).StatusCode);
    }

    [Fact]
    public async Task Put_with_if_none_match_star_is_create_only()
    {
        var source = await SourceAsync("claims-create-only-source");
        using var first = new HttpRequestMessage(HttpMethod.Put, "/v1/claims/claims-create-only") { Content = Json.Body(NewClaim(null, source)) };
        first.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(first)).StatusCode);

        using var second = new HttpRequestMessage(HttpMethod.Put, "/v1/claims/claims-create-only") { Content = Json.Body(NewClaim(null, source)) };
        second.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        await (await _client.SendAsync(second)).AssertProblemAsync(412, "preconditionFailed");
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("\"40\"")]
    public async Task Value_out_of_range_or_as_a_string_is_400_invalid_json(string value)
    {
        var source = await SourceAsync($"claims-bad-number-{(value.StartsWith('"') ? "string" : "huge")}");
        var json = JsonSerializer.Serialize(NewClaim(null, source, ("value", 0m)), BilateralApi.Infrastructure.Json.JsonDefaults.Options).Replace("\"value\":0", $"\"value\":{value}", StringComparison.Ordinal);

        var response = await _client.PostAsync("/v1/claims", Json.Body(json));

        var problem = await response.AssertProblemAsync(400, "invalidJson");
        Assert.NotEmpty(problem.FieldErrors("value"));
    }

    [Fact]
    public async Task Range_and_unit_bounds_are_validated()
    {
        var source = await SourceAsync("claims-range-source");

        var backwards = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, source, ("value", 19m), ("valueTo", 18m))));
        Assert.Contains("valueTo", (await backwards.AssertProblemAsync(400, "validationFailed")).FieldErrors("valueTo")[0], StringComparison.Ordinal);

        var overHundred = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, source, ("value", 100.5m))));
        Assert.Contains("0 to 100", (await overHundred.AssertProblemAsync(400, "validationFailed")).FieldErrors("value")[0], StringComparison.Ordinal);

        var negativeUsd = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, source, ("indicator", "tradeValue"), ("unit", "usd"), ("value", -1m))));
        Assert.NotEmpty((await negativeUsd.AssertProblemAsync(400, "validationFailed")).FieldErrors("value"));

        var range = await _client.PostAsync("/v1/claims", Json.Body(NewClaim("claims-range-18-19", source, ("value", 18m), ("valueTo", 19m))));
        Assert.Equal(HttpStatusCode.Created, range.StatusCode);
        Assert.Equal("19", (await range.ReadJsonAsync()).GetProperty("valueTo").GetRawText());
    }

    [Fact]
    public async Task Unknown_codes_are_rejected_with_the_allowed_codes()
    {
        var source = await SourceAsync("claims-codes-source");

        var response = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, source, ("indicator", "oilShare"), ("unit", "barrels"), ("reporter", "XXX"), ("hs", "9999"))));

        var problem = await response.AssertProblemAsync(400, "validationFailed");
        Assert.Contains("importPartnerShare, exportPartnerShare", problem.FieldErrors("indicator")[0], StringComparison.Ordinal);
        Assert.Contains("percent, usd", problem.FieldErrors("unit")[0], StringComparison.Ordinal);
        Assert.NotEmpty(problem.FieldErrors("reporter"));
        Assert.NotEmpty(problem.FieldErrors("hs"));
    }

    [Fact]
    public async Task Missing_citations_or_unknown_sources_are_400_on_the_citation_field()
    {
        var none = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, "x", ("citations", Array.Empty<object>()))));
        Assert.NotEmpty((await none.AssertProblemAsync(400, "validationFailed")).FieldErrors("citations"));

        var missing = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, "x", ("citations", null))));
        Assert.NotEmpty((await missing.AssertProblemAsync(400, "validationFailed")).FieldErrors("citations"));

        var unknown = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, "no-such-source")));
        Assert.Contains("no-such-source", (await unknown.AssertProblemAsync(400, "validationFailed")).FieldErrors("citations[0].sourceId")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_members_are_rejected()
    {
        var source = await SourceAsync("claims-unknown-member-source");

        var response = await _client.PostAsync("/v1/claims", Json.Body(NewClaim(null, source, ("confidence", "high"))));

        Assert.NotEmpty((await response.AssertProblemAsync(400, "invalidJson")).FieldErrors("confidence"));
    }

    [Fact]
    public async Task List_rejects_bad_parameters_naming_each_one()
    {
        var response = await _client.GetAsync("/v1/claims?indicator=oilShare&reporter=XXX&pair=AZE&hs=2x&period=2023-13&sourceId=Bad_Id&limit=501");

        var problem = await response.AssertProblemAsync(400, "invalidParameter");
        Assert.Contains("importPartnerShare", problem.FieldErrors("indicator")[0], StringComparison.Ordinal);
        foreach (var parameter in new[] { "reporter", "pair", "hs", "period", "sourceId", "limit" })
        {
            Assert.NotEmpty(problem.FieldErrors(parameter));
        }

        await (await _client.GetAsync("/v1/claims?colour=red")).AssertProblemAsync(400, "unknownParameter");
    }


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

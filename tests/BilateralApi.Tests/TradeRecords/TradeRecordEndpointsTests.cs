using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;
using Dapper;

namespace BilateralApi.Tests.TradeRecords;

public sealed class TradeRecordEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string MergePatchJson = "application/merge-patch+json";

    private readonly HttpClient _client = factory.CreateWriterClient();

    /// <summary>Creates a source of the test's own, so that its rows can be told apart from other tests' rows.</summary>
    private async Task<string> CreateSourceAsync(string id)
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body(new
        {
            id,
            type = "statisticalDatabase",
            author = (string?)null,
            publisher = "UN Comtrade",
            title = $"Comtrade extract {id}",
            url = (string?)null,
            publishedOn = (string?)null,
            retrievedOn = "2026-11-27",
            reliability = "A",
            licence = (string?)null,
            notes = (string?)null,
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    /// <summary>A valid write; tests share one database, so each picks a natural key (here mostly the year) no other test uses.</summary>
    private static JsonObject Record(string sourceId, string reporter = "AZE", string partner = "ISR", int year = 2024, int? month = 1,
        string flow = "X", string hs = "2709", decimal? valueUsd = 297000000m) => new()
        {
            ["reporter"] = reporter,
            ["partner"] = partner,
            ["year"] = year,
            ["month"] = month,
            ["flow"] = flow,
            ["hs"] = hs,
            ["transportMode"] = 0,
            ["valueUsd"] = valueUsd,
            ["netWeightKg"] = 523500000m,
            ["quantity"] = null,
            ["quantityUnit"] = null,
            ["valueBasis"] = "FOB",
            ["estimated"] = false,
            ["sourceId"] = sourceId,
        };

    private static JsonObject With(JsonObject record, string member, JsonNode? value)
    {
        record[member] = value;
        return record;
    }

    private async Task<JsonElement> CreateAsync(JsonObject record)
    {
        var response = await _client.PostAsync("/v1/trade-records", Json.Body(record));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task Crud_round_trip_with_etags_and_if_match()
    {
        var source = await CreateSourceAsync("trade-crud-source");

        var created = await _client.PostAsync("/v1/trade-records", Json.Body(Record(source, year: 2030)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var body = await created.ReadJsonAsync();
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/v1/trade-records/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("AZE", body.GetProperty("reporter").GetString());
        Assert.Equal(0, body.GetProperty("transportMode").GetInt32());
        Assert.Equal(297000000m, body.GetProperty("valueUsd").GetDecimal());
        Assert.Equal(523500000m, body.GetProperty("netWeightKg").GetDecimal());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        var url = $"/v1/trade-records/{id}";

        var read = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.IfNoneMatch.Add(read.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);
        }

        var replacement = With(Record(source, year: 2030), "valueUsd", 300000000.5m);
        await (await _client.PutAsync(url, Json.Body(replacement))).AssertProblemAsync(428, "preconditionRequired");
        using (var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = Json.Body(replacement) })
        {
            var replaced = await _client.SendAsync(put.WithIfMatch("\"1\""));
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);
            Assert.Equal(300000000.5m, (await replaced.ReadJsonAsync()).GetProperty("valueUsd").GetDecimal());
        }
        using (var stale = new HttpRequestMessage(HttpMethod.Put, url) { Content = Json.Body(Record(source, year: 2030)) })
        {
            await (await _client.SendAsync(stale.WithIfMatch("\"1\""))).AssertProblemAsync(412, "preconditionFailed");
        }

        using (var patch = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Json.Body("""{ "netWeightKg": null, "estimated": true, "quantity": 12.5, "quantityUnit": "t" }""", MergePatchJson) })
        {
            var patched = await _client.SendAsync(patch.WithIfMatch("\"2\""));
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var patchedBody = await patched.ReadJsonAsync();
            Assert.Equal(JsonValueKind.Null, patchedBody.GetProperty("netWeightKg").ValueKind);
            Assert.True(patchedBody.GetProperty("estimated").GetBoolean());
            Assert.Equal(12.5m, patchedBody.GetProperty("quantity").GetDecimal());
            Assert.Equal(300000000.5m, patchedBody.GetProperty("valueUsd").GetDecimal());
            Assert.Equal(id, patchedBody.GetProperty("id").GetInt64());
            Assert.Equal(3, patchedBody.GetProperty("version").GetInt64());
        }

        await (await _client.DeleteAsync(url)).AssertProblemAsync(428, "preconditionRequired");
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, url))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete.WithIfMatch("\"3\""))).StatusCode);
        }
        await (await _client.GetAsync(url)).AssertProblemAsync(404, "notFound");
    }

    [Fact]
    public async Task Put_never_creates_an_unknown_id_is_404()
    {
        var source = await CreateSourceAsync("trade-put-404-source");

        using var put = new HttpRequestMessage(HttpMethod.Put, "/v1/trade-records/987654321") { Content = Json.Body(Record(source)) };
        put.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);

        await (await _client.SendAsync(put)).AssertProblemAsync(404, "notFound");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task A_non_numeric_id_is_a_404_problem_never_a_500(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/v1/trade-records/abc");
        if (method == "PUT")
        {
            request.Content = Json.Body("{}");
        }

        await (await _client.SendAsync(request)).AssertProblemAsync(404, "notFound");
        await (await _client.GetAsync("/v1/trade-records/99999999999999999999999")).AssertProblemAsync(404, "notFound");
    }

    [Fact]
    public async Task A_body_with_an_id_is_400_ids_are_assigned_by_the_store()
    {
        var source = await CreateSourceAsync("trade-body-id-source");

        var response = await _client.PostAsync("/v1/trade-records", Json.Body(With(Record(source), "id", 5)));

        Assert.NotEmpty((await response.AssertProblemAsync(400, "invalidJson")).FieldErrors("id"));
    }

    [Fact]
    public async Task Money_is_exact_cents_in_integer_storage()
    {
        var source = await CreateSourceAsync("trade-money-source");

        var body = await CreateAsync(Record(source, year: 2031, valueUsd: 297000000.10m));

        Assert.Equal(297000000.10m, body.GetProperty("valueUsd").GetDecimal());
        var read = await _client.GetJsonAsync($"/v1/trade-records/{body.GetProperty("id").GetInt64()}");
        Assert.Equal(297000000.10m, read.GetProperty("valueUsd").GetDecimal());
        await using var connection = await factory.OpenConnectionAsync();
        var stored = await connection.ExecuteScalarAsync<object>("SELECT value_usd_cents FROM trade_record WHERE id = @id", new { id = body.GetProperty("id").GetInt64() });
        Assert.Equal(29700000010L, Assert.IsType<long>(stored));
    }

    [Fact]
    public async Task Weights_and_small_values_round_trip()
    {
        var source = await CreateSourceAsync("trade-weight-source");
        var record = Record(source, year: 2032, valueUsd: 0.01m);
        record["netWeightKg"] = 123456789.123456m;

        var body = await CreateAsync(record);

        Assert.Equal(0.01m, body.GetProperty("valueUsd").GetDecimal());
        var read = await _client.GetJsonAsync($"/v1/trade-records/{body.GetProperty("id").GetInt64()}");
        Assert.Equal(123456789.123456m, read.GetProperty("netWeightKg").GetDecimal());
        Assert.Equal(0.01m, read.GetProperty("valueUsd").GetDecimal());
    }

    [Fact]
    public async Task More_than_two_decimals_is_400_validation()
    {
        var source = await CreateSourceAsync("trade-decimals-source");

        var response = await _client.PostAsync("/v1/trade-records", Json.Body(Record(source, valueUsd: 0.005m)));

        Assert.Contains("2 decimal places", (await response.AssertProblemAsync(400, "validationFailed")).FieldErrors("valueUsd")[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("\"297\"")]
    [InlineData("297.5e")]
    public async Task Money_that_is_not_a_decimal_json_number_is_400_invalid_json(string raw)
    {
        var source = await CreateSourceAsync($"trade-bad-number-{Math.Abs(raw.GetHashCode(StringComparison.Ordinal))}");
        var json = Record(source).ToJsonString().Replace("\"valueUsd\":297000000", $"\"valueUsd\":{raw}", StringComparison.Ordinal);
        Assert.Contains(raw, json, StringComparison.Ordinal);

        var response = await _client.PostAsync("/v1/trade-records", Json.Body(json));

        var problem = await response.AssertProblemAsync(400, "invalidJson");
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        if (raw != "297.5e")
        {
            Assert.NotEmpty(problem.FieldErrors("valueUsd"));
        }
    }

    [Fact]
    public async Task Same_natural_key_is_409_conflict_naming_the_existing_id()
    {
        var source = await CreateSourceAsync("trade-conflict-source");
        var first = await CreateAsync(Record(source, year: 2019, month: null, hs: "2710"));
        var id = first.GetProperty("id").GetInt64();

        var again = await _client.PostAsync("/v1/trade-records", Json.Body(Record(source, reporter: "AZ", year: 2019, month: null, hs: "2710", valueUsd: 1m)));

        var problem = await again.AssertProblemAsync(409, "conflict");
        Assert.Contains($"Trade record {id} ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, problem.GetProperty("existingId").GetInt64());

        // A monthly row of the same year is another key.
        await CreateAsync(Record(source, year: 2019, month: 5, hs: "2710"));
    }

    [Fact]
    public async Task Put_or_patch_onto_another_records_key_is_409_conflict()
    {
        var source = await CreateSourceAsync("trade-key-move-source");
        var a = (await CreateAsync(Record(source, year: 2018, hs: "2711"))).GetProperty("id").GetInt64();
        var b = (await CreateAsync(Record(source, year: 2018, month: 2, hs: "2711"))).GetProperty("id").GetInt64();

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/trade-records/{b}") { Content = Json.Body(Record(source, year: 2018, hs: "2711")) };
        var putProblem = await (await _client.SendAsync(put.WithIfMatch("\"1\""))).AssertProblemAsync(409, "conflict");
        Assert.Equal(a, putProblem.GetProperty("existingId").GetInt64());

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/trade-records/{b}") { Content = Json.Body("""{ "month": 1 }""", MergePatchJson) };
        var patchProblem = await (await _client.SendAsync(patch.WithIfMatch("\"1\""))).AssertProblemAsync(409, "conflict");
        Assert.Equal(a, patchProblem.GetProperty("existingId").GetInt64());

        Assert.Equal(2, (await _client.GetJsonAsync($"/v1/trade-records/{b}")).GetProperty("month").GetInt32());
    }

    [Fact]
    public async Task Countries_in_any_form_are_normalised_to_alpha3_and_defaults_are_filled()
    {
        var source = await CreateSourceAsync("trade-normalise-source");
        var record = Record(source, reporter: "31", partner: "il", year: 2017);
        record.Remove("transportMode");
        record.Remove("valueBasis");
        record.Remove("estimated");

        var body = await CreateAsync(record);

        Assert.Equal("AZE", body.GetProperty("reporter").GetString());
        Assert.Equal("ISR", body.GetProperty("partner").GetString());
        Assert.Equal(0, body.GetProperty("transportMode").GetInt32());
        Assert.Equal("unknown", body.GetProperty("valueBasis").GetString());
        Assert.False(body.GetProperty("estimated").GetBoolean());
    }

    [Theory]
    [InlineData("sourceId", "no-such-source-anywhere", "No source")]
    [InlineData("month", 13, "1 to 12")]
    [InlineData("reporter", "WLD", "partner")]
    [InlineData("partner", "AZE", "differ")]
    [InlineData("hs", "27091", "HS code")]
    [InlineData("hs", "9999", "HS code")]
    [InlineData("flow", "Z", "tradeFlow")]
    [InlineData("transportMode", 42, "transportMode")]
    [InlineData("year", 1899, "1900")]
    public async Task Invalid_members_are_400_keyed_by_the_json_name(string member, object value, string expected)
    {
        var source = await CreateSourceAsync($"trade-invalid-{member.ToLowerInvariant()}-{value.ToString()!.ToLowerInvariant()}");
        var record = With(Record(source), member, value is int n ? JsonValue.Create(n) : JsonValue.Create((string)value));

        var response = await _client.PostAsync("/v1/trade-records", Json.Body(record));

        var messages = (await response.AssertProblemAsync(400, "validationFailed")).FieldErrors(member);
        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("flow")]
    [InlineData("reporter")]
    [InlineData("year")]
    [InlineData("sourceId")]
    public async Task Missing_required_members_are_400_never_defaults(string member)
    {
        var record = Record("seed-article");
        record.Remove(member);

        var response = await _client.PostAsync("/v1/trade-records", Json.Body(record));

        Assert.Contains("required", (await response.AssertProblemAsync(400, "validationFailed")).FieldErrors(member)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_four_digit_heading_with_a_known_chapter_is_accepted()
    {
        var source = await CreateSourceAsync("trade-hs-source");

        var body = await CreateAsync(Record(source, hs: "2709", year: 2016));
        var total = await CreateAsync(Record(source, hs: "TOTAL", year: 2016, partner: "WLD"));

        Assert.Equal("2709", body.GetProperty("hs").GetString());
        Assert.Equal("WLD", total.GetProperty("partner").GetString());
    }

    [Theory]
    [InlineData("year=1800", "year")]
    [InlineData("month=13", "month")]
    [InlineData("flow=Q", "flow")]
    [InlineData("hs=2", "hs")]
    [InlineData("pair=AZE", "pair")]
    [InlineData("estimated=yes", "estimated")]
    [InlineData("transportMode=7", "transportMode")]
    [InlineData("sourceId=Not%20An%20Id", "sourceId")]
    [InlineData("limit=501", "limit")]
    [InlineData("cursor=abc", "cursor")]
    public async Task Malformed_list_parameters_are_400_naming_the_parameter(string query, string parameter)
    {
        var response = await _client.GetAsync($"/v1/trade-records?{query}");

        Assert.NotEmpty((await response.AssertProblemAsync(400, "invalidParameter")).FieldErrors(parameter));
    }

    [Fact]
    public async Task A_source_cited_by_trade_records_cannot_be_deleted()
    {
        var source = await CreateSourceAsync("trade-cited-source");
        await CreateAsync(Record(source, year: 2015));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sources/{source}");

        await (await _client.SendAsync(delete.WithIfMatch("\"1\""))).AssertProblemAsync(409, "conflict");
    }

    [Fact]
    public async Task A_cursor_walk_returns_every_matching_row_once_in_order()
    {
        var source = await CreateSourceAsync("trade-walk-source");
        var expected = new List<long>();
        for (var year = 2000; year < 2011; year++)
        {
            expected.Add((await CreateAsync(Record(source, year: year, month: null))).GetProperty("id").GetInt64());
        }
        await CreateAsync(Record(source, year: 2000, month: null, flow: "M"));

        var seen = new List<long>();
        string? next = $"/v1/trade-records?sourceId={source}&flow=X&limit=3";
        var pages = 0;
        while (next is not null)
        {
            var response = await _client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            Assert.Equal(next is not null, response.Headers.Contains("Link"));
            pages++;
            if (pages == 2)
            {
                // Rows inserted mid-walk after the cursor position are seen; none is seen twice.
                expected.Add((await CreateAsync(Record(source, year: 2011, month: null))).GetProperty("id").GetInt64());
            }
        }

        Assert.Equal(expected, seen);
        Assert.Equal(4, pages);

        var first = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&flow=X&limit=3");
        var cursor = first.GetProperty("page").GetProperty("nextCursor").GetString();
        var reused = await _client.GetAsync($"/v1/trade-records?sourceId={source}&flow=M&limit=3&cursor={cursor}");
        await reused.AssertProblemAsync(400, "invalidParameter");
    }

    [Fact]
    public async Task List_filters_by_pair_year_range_hs_prefix_and_flow()
    {
        var source = await CreateSourceAsync("trade-filter-source");
        var wanted = new List<long>
        {
            (await CreateAsync(Record(source, "AZE", "ISR", 2020, null, "X", "2709"))).GetProperty("id").GetInt64(),
            (await CreateAsync(Record(source, "ISR", "AZE", 2023, null, "X", "271019"))).GetProperty("id").GetInt64(),
            (await CreateAsync(Record(source, "AZE", "ISR", 2021, 6, "X", "27"))).GetProperty("id").GetInt64(),
        };
        await CreateAsync(Record(source, "AZE", "ISR", 2019, null, "X", "2709"));   // year before the range
        await CreateAsync(Record(source, "AZE", "ISR", 2024, null, "X", "2709"));   // year after the range
        await CreateAsync(Record(source, "AZE", "ISR", 2021, null, "M", "2709"));   // other flow
        await CreateAsync(Record(source, "AZE", "ISR", 2021, null, "X", "8802"));   // other chapter
        await CreateAsync(Record(source, "AZE", "TUR", 2021, null, "X", "2709"));   // other pair
        await CreateAsync(Record(source, "TUR", "ISR", 2021, null, "X", "2709"));   // other pair

        var page = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&pair=ISR,AZE&year=2020..2023&hs=27&flow=X");

        Assert.Equal(wanted, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var country = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&country=TUR");
        Assert.Equal(2, country.GetProperty("items").GetArrayLength());
        var reporter = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&reporter=376&partner=31");
        Assert.Equal([wanted[1]], reporter.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var monthly = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&month=1..6&transportMode=0,2100&valueBasis=FOB&estimated=false");
        Assert.Equal([wanted[2]], monthly.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var noneOfModes = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&transportMode=!0");
        Assert.Equal(0, noneOfModes.GetProperty("items").GetArrayLength());
    }
}

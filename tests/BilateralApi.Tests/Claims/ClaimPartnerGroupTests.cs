using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Claims;

/// <summary>
/// A figure a source states for several partners combined names the group in 'partners' (decision 0025):
/// no member's partner filter returns it, and the check does not recompute it as one country's figure.
/// </summary>
public sealed class ClaimPartnerGroupTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Source = "claim-partner-group-source";
    private readonly HttpClient _client = factory.CreateWriterClient();

    private async Task<HttpResponseMessage> PutAsync(string id, params (string Name, object? Value)[] overrides)
    {
        await _client.EnsureSourceAsync(Source);
        var claim = new Dictionary<string, object?>
        {
            ["text"] = "nearly 60% came from Kazakhstan and Azerbaijan combined",
            ["indicator"] = "importPartnerShare",
            ["reporter"] = "ISR",
            ["partner"] = null,
            ["partners"] = new[] { "KZ", "AZE" },
            ["flow"] = "M",
            ["hs"] = "27",
            ["period"] = new { value = "2023", precision = "year" },
            ["value"] = 60m,
            ["unit"] = "percent",
            ["qualifier"] = "atMost",
            ["basis"] = "unknown",
            ["citations"] = TestData.Cite(Source),
        };
        foreach (var (name, value) in overrides)
        {
            claim[name] = value;
        }
        return await _client.PutAsync($"/v1/claims/{id}", Json.Body(claim));
    }

    [Fact]
    public async Task The_check_answers_insufficient_data_for_a_group()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutAsync("group-check-kaz-aze")).StatusCode);

        var check = await _client.GetJsonAsync("/v1/claims/group-check-kaz-aze/check");

        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("observed").ValueKind);
        Assert.Contains(check.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("group of partners (KAZ, AZE)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("partner", "AZE", "partners", "either 'partner'")]
    [InlineData("partners", new[] { "AZE" }, "partners", "from 2 to")]
    [InlineData("partners", new[] { "AZE", "AZ" }, "partners", "each country once")]
    [InlineData("partners", new[] { "AZE", "QQQ" }, "partners[1]", "not a known country")]
    [InlineData("partners", new[] { "AZE", "ISR" }, "partners[1]", "differ from 'reporter'")]
    public async Task A_malformed_group_is_refused_naming_the_field(string name, object value, string field, string reason)
    {
        var response = await PutAsync($"group-bad-{Guid.NewGuid():N}", (name, value));

        var problem = await response.AssertProblemAsync(400, "validationFailed");
        Assert.Contains(problem.FieldErrors(field), m => m.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("supplierRank", "X", "rank", 2)]
    [InlineData("destinationRank", "M", "rank", 2)]
    [InlineData("exportPartnerShare", "M", "percent", 8.4)]
    [InlineData("tradeTurnover", "X", "usd", 100)]
    public async Task A_flow_that_contradicts_the_indicators_definition_is_refused(string indicator, string flow, string unit, double value)
    {
        var response = await PutAsync($"flow-bad-{Guid.NewGuid():N}", ("indicator", indicator), ("flow", flow), ("unit", unit), ("value", (decimal)value),
            ("partners", null), ("partner", "AZE"), ("qualifier", "exact"));

        var problem = await response.AssertProblemAsync(400, "validationFailed");
        Assert.Contains(problem.FieldErrors("flow"), m => m.Contains(indicator, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_group_is_stored_in_alpha3_and_no_members_filter_returns_it()
    {
        var created = await PutAsync("group-kaz-aze-60");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("partner").ValueKind);
        Assert.Equal(["KAZ", "AZE"], body.GetProperty("partners").EnumerateArray().Select(p => p.GetString()));

        var single = await PutAsync("group-single-aze-40", ("partners", null), ("partner", "AZE"), ("text", "40 percent from Azerbaijan"));
        Assert.Equal(HttpStatusCode.Created, single.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await single.ReadJsonAsync()).GetProperty("partners").ValueKind);

        var byPartner = await _client.GetJsonAsync($"/v1/claims?partner=AZE&sourceId={Source}&limit=500");
        Assert.Equal(["group-single-aze-40"], byPartner.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }
}

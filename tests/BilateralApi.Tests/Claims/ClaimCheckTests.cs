using System.Text.Json;
using BilateralApi.Tests.Infrastructure;
using BilateralApi.Tests.TradeAnalytics;

namespace BilateralApi.Tests.Claims;

public sealed class ClaimCheckTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Source = "claim-check-source";
    private readonly HttpClient _client = factory.CreateWriterClient();
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ApiFactory? _arrangedIn;

    /// <summary>France's imports of HS 27: 2022 with a World row, 2021 without one.</summary>
    private async Task ArrangeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_arrangedIn == factory)
            {
                return;
            }
            await _client.EnsureSourceAsync(Source);
            Row R(string partner, int year, long? cents, long kg) => new(0, "FRA", partner, year, null, "M", "27", 0, cents, kg, "CIF");
            await GeneratedTrade.InsertAsync(_client, factory,
            [
                R("DEU", 2022, 40_000, 10), R("ITA", 2022, 50_000, 30), R("WLD", 2022, 100_000, 50),
                R("DEU", 2021, 30_000, 5), R("ITA", 2021, 70_000, 5),
            ]);
            _arrangedIn = factory;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<JsonElement> CheckAsync(string id, string indicator, decimal? value, string? qualifier, string? period,
        string reporter = "FRA", string partner = "DEU", string? flow = "M", string? hs = "27", string unit = "percent", string basis = "value")
    {
        await ArrangeAsync();
        var created = await _client.PutAsync($"/v1/claims/{id}", Json.Body(new
        {
            id,
            text = $"Claim {id}",
            indicator,
            reporter,
            partner,
            flow,
            hs,
            period = period is null ? null : new { value = period, precision = (string?)null, to = (string?)null, inferred = (bool?)null },
            value,
            valueTo = (decimal?)null,
            unit,
            qualifier,
            basis,
            notes = (string?)null,
            citations = TestData.Cite(Source),
        }));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return await _client.GetJsonAsync($"/v1/claims/{id}/check");
    }

    /// <summary>A claim over a run of months, as the seed's "January–November" figures are.</summary>
    private async Task<JsonElement> MonthsCheckAsync(string id, string indicator, decimal value, string from, string to, string reporter, string partner, string? flow, string unit)
    {
        await ArrangeAsync();
        var created = await _client.PutAsync($"/v1/claims/{id}", Json.Body(new
        {
            id, text = $"Claim {id}", indicator, reporter, partner, flow, hs = "27",
            period = new { value = from, precision = "month", to, inferred = (bool?)null },
            value, valueTo = (decimal?)null, unit, qualifier = "exact", basis = unit == "tonnes" ? "weight" : "value",
            notes = (string?)null, citations = TestData.Cite(Source),
        }));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return await _client.GetJsonAsync($"/v1/claims/{id}/check");
    }

    [Fact]
    public async Task A_value_over_whole_months_of_one_year_is_the_sum_of_those_monthly_records()
    {
        await ArrangeAsync();
        // Spain's exports of HS 27 to Portugal by month in 2024; April lies outside the claims' months.
        Row M(string flow, int month, long cents, long kg) => new(0, "ESP", "PRT", 2024, month, flow, "27", 0, cents, kg, "FOB");
        await GeneratedTrade.InsertAsync(_client, factory,
            [M("X", 1, 100_00, 1_000), M("X", 2, 200_00, 2_000), M("X", 3, 300_00, 3_000), M("X", 4, 999_00, 9_000), M("M", 1, 50_00, 500), M("M", 2, 50_00, 500)]);

        var value = await MonthsCheckAsync("check-months-value", "tradeValue", 600m, "2024-01", "2024-03", "ESP", "PRT", "X", "usd");
        Assert.Equal("consistent", value.GetProperty("verdict").GetString());
        Assert.Equal(600m, value.GetProperty("observed").GetProperty("value").GetDecimal());
        Assert.Equal([1, 2, 3], value.GetProperty("observed").GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("month").GetInt32()));
        Assert.Contains(value.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("2024-01..2024-03", StringComparison.Ordinal));

        var tonnes = await MonthsCheckAsync("check-months-tonnes", "tradeValue", 7m, "2024-01", "2024-03", "ESP", "PRT", "X", "tonnes");
        Assert.Equal("inconsistent", tonnes.GetProperty("verdict").GetString());
        Assert.Equal(6m, tonnes.GetProperty("observed").GetProperty("value").GetDecimal());

        var turnover = await MonthsCheckAsync("check-months-turnover", "tradeTurnover", 400m, "2024-01", "2024-02", "ESP", "PRT", null, "usd");
        Assert.Equal("consistent", turnover.GetProperty("verdict").GetString());

        // A month without a record: no sum, and the answer names the month.
        var gap = await MonthsCheckAsync("check-months-gap", "tradeValue", 1000m, "2024-03", "2024-05", "ESP", "PRT", "X", "usd");
        Assert.Equal("insufficientData", gap.GetProperty("verdict").GetString());
        Assert.Contains(gap.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("2024-05", StringComparison.Ordinal) && !m.GetString()!.Contains("2024-04", StringComparison.Ordinal));

        // A share over part of a year would need every partner's months: still not computed, and said so.
        var share = await MonthsCheckAsync("check-months-share", "exportPartnerShare", 50m, "2024-01", "2024-03", "ESP", "PRT", "X", "percent");
        Assert.Equal("insufficientData", share.GetProperty("verdict").GetString());
        Assert.Contains(share.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("part-year", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_share_within_the_tolerance_is_consistent_with_numerator_denominator_and_rows()
    {
        var check = await CheckAsync("check-share-40", "importPartnerShare", 40m, "exact", "2022");

        Assert.Equal("consistent", check.GetProperty("verdict").GetString());
        var observed = check.GetProperty("observed");
        Assert.Equal(40m, observed.GetProperty("value").GetDecimal());
        Assert.Equal(400m, observed.GetProperty("numerator").GetDecimal());
        Assert.Equal(1000m, observed.GetProperty("denominator").GetDecimal());
        Assert.Equal("reportedWorldTotal", observed.GetProperty("denominatorBasis").GetString());
        var roles = observed.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("partner").GetString(), r.GetProperty("role").GetString())).ToList();
        Assert.Equal([("WLD", "denominator"), ("DEU", "numerator"), ("ITA", "context")], roles);
        Assert.Equal(39.5m, check.GetProperty("tolerance").GetProperty("low").GetDecimal());
        Assert.Equal(40.5m, check.GetProperty("tolerance").GetProperty("high").GetDecimal());
        Assert.Empty(check.GetProperty("missing").EnumerateArray());
    }

    [Fact]
    public async Task A_share_outside_the_tolerance_is_inconsistent()
    {
        var check = await CheckAsync("check-share-30-about", "importPartnerShare", 30m, "about", "2022");

        Assert.Equal("inconsistent", check.GetProperty("verdict").GetString());
        Assert.Equal(27m, check.GetProperty("tolerance").GetProperty("low").GetDecimal());
        Assert.Equal(33m, check.GetProperty("tolerance").GetProperty("high").GetDecimal());
    }

    [Fact]
    public async Task Without_a_world_row_the_denominator_is_the_sum_over_partners_and_weight_basis_works()
    {
        var byValue = await CheckAsync("check-share-2021", "importPartnerShare", 30m, "exact", "2021");
        Assert.Equal("consistent", byValue.GetProperty("verdict").GetString());
        Assert.Equal("sumOverPartners", byValue.GetProperty("observed").GetProperty("denominatorBasis").GetString());

        var byWeight = await CheckAsync("check-share-weight", "importPartnerShare", 20m, "atLeast", "2022", basis: "weight");
        Assert.Equal("consistent", byWeight.GetProperty("verdict").GetString());
        Assert.Equal(20m, byWeight.GetProperty("observed").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Without_a_period_the_latest_reported_year_is_used_and_said()
    {
        var check = await CheckAsync("check-share-no-period", "importPartnerShare", 40m, "about", null);

        Assert.Equal("consistent", check.GetProperty("verdict").GetString());
        Assert.Equal(2022, check.GetProperty("checkedAs").GetProperty("yearFrom").GetInt32());
        Assert.Contains(check.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("2022"));
    }

    [Fact]
    public async Task Trade_values_and_turnover_are_recomputed_exactly()
    {
        var value = await CheckAsync("check-value", "tradeValue", 400m, "exact", "2022", unit: "usd");
        Assert.Equal("consistent", value.GetProperty("verdict").GetString());
        Assert.Equal(400m, value.GetProperty("observed").GetProperty("value").GetDecimal());

        var turnover = await CheckAsync("check-turnover", "tradeTurnover", 400m, "exact", "2022", flow: null, unit: "usd");
        Assert.Equal("insufficientData", turnover.GetProperty("verdict").GetString());
        Assert.Contains(turnover.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("exports"));
    }

    [Fact]
    public async Task Missing_reporter_data_is_insufficient_data_naming_what_is_missing()
    {
        var check = await CheckAsync("check-no-data", "importPartnerShare", 40m, "about", "2022", reporter: "ESP");

        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("observed").GetProperty("value").ValueKind);
        Assert.Contains(check.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("ESP"));
    }

    [Fact]
    public async Task A_claim_without_a_figure_or_with_a_part_year_period_is_insufficient_data()
    {
        var noFigure = await CheckAsync("check-no-figure", "importPartnerShare", null, null, "2022");
        Assert.Equal("insufficientData", noFigure.GetProperty("verdict").GetString());

        var partYear = await CheckAsync("check-part-year", "importPartnerShare", 40m, "about", "2022-03");
        Assert.Equal("insufficientData", partYear.GetProperty("verdict").GetString());
        Assert.Contains(partYear.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("part-year"));
    }

    [Fact]
    public async Task An_unknown_claim_is_404()
    {
        await (await _client.GetAsync("/v1/claims/no-such-claim/check")).AssertProblemAsync(404, "notFound");
    }

    [Fact]
    public async Task A_rate_in_barrels_per_day_is_not_compared_with_the_records_weights()
    {
        // FRA's 2022 imports from DEU weigh 10 kg: without the rule, 10 barrels a day would read as 10 kg and pass.
        var check = await CheckAsync("check-barrels-per-day", "tradeValue", 10m, "exact", "2022", unit: "barrelsPerDay", basis: "weight");

        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("observed").ValueKind);
        Assert.Contains(check.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("barrels per day", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("check-supply-share", "supplyShare", "M", "percent", "production or consumption")]
    [InlineData("check-import-dependence", "importDependence", "M", "percent", "production or consumption")]
    [InlineData("check-consumption", "consumption", null, "tonnes", "production or consumption")]
    [InlineData("check-route-share", "routeShare", null, "percent", "not by route")]
    public async Task Indicators_the_trade_records_cannot_give_are_not_recomputed(string id, string indicator, string? flow, string unit, string reason)
    {
        var check = await CheckAsync(id, indicator, 40m, "exact", "2022", flow: flow, unit: unit, basis: unit == "tonnes" ? "weight" : "value");

        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("observed").ValueKind);
        Assert.Contains(check.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_buyer_rank_is_recomputed_among_the_reporters_export_destinations()
    {
        // destinationRank defaults to exports: DEU's only export destination in the arranged data is none, so
        // the rank cannot be found and the answer names the reporter's exports, not its imports.
        var check = await CheckAsync("check-destination-rank", "destinationRank", 1m, "exact", "2022", reporter: "FRA", partner: "DEU", flow: null, unit: "rank");

        Assert.Equal("X", check.GetProperty("checkedAs").GetProperty("flow").GetString());
        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Contains(check.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("exports", StringComparison.Ordinal));
    }
}

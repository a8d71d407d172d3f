using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;
using static BilateralApi.Tests.TradeAnalytics.GeneratedTrade;

namespace BilateralApi.Tests.TradeAnalytics;

/// <summary>
/// Every trade analytic over generated rows, reproduced exactly by an independent LINQ computation
/// over the same rows (see <see cref="GeneratedTrade"/>).
/// </summary>
public sealed class TradeAnalyticsTests(TradeAnalyticsTests.Fixture fixture) : IClassFixture<TradeAnalyticsTests.Fixture>
{
    private static readonly string[] Reporters = ["FRA", "DEU", "TUR"];
    private static readonly string[] Partners = ["FRA", "DEU", "TUR", "ITA", "USA"];
    private static readonly int[] Years = [2019, 2020, 2021];

    /// <summary>One database per class, filled once with the generated rows.</summary>
    public sealed class Fixture : ApiFactory
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private HttpClient? _client;

        public List<Row> Rows { get; } = Generate(20261128, Reporters, Partners, Years);

        public List<Row> Counted => GeneratedTrade.Counted(Rows);

        public async Task<HttpClient> ClientAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_client is null)
                {
                    var client = CreateWriterClient();
                    await InsertAsync(client, this, Rows);
                    _client = client;
                }
                return _client;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private HttpClient Client => fixture.ClientAsync().GetAwaiter().GetResult();

    private static decimal? Dec(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDecimal();

    private static double? Dbl(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static void AssertFigure(IEnumerable<Row> rows, JsonElement figure)
    {
        var list = rows.ToList();
        Assert.Equal(Value(list), Dec(figure.GetProperty("valueUsd")));
        Assert.Equal(Weight(list), Dbl(figure.GetProperty("netWeightKg")));
        Assert.Equal(list.Count, figure.GetProperty("rows").GetInt32());
        Assert.Equal(list.Count(r => r.Month is not null), figure.GetProperty("monthlyRows").GetInt32());
    }

    [Theory]
    [InlineData("FRA", "DEU", "TOTAL")]
    [InlineData("DEU", "TUR", "27")]
    [InlineData("TUR", "FRA", "2709")]
    public async Task Balance_takes_each_direction_from_its_reporter_else_the_mirror(string a, string b, string hs)
    {
        var body = await Client.GetJsonAsync($"/v1/trade/balance?reporter={a}&partner={b}&hs={hs}");

        var counted = fixture.Counted.Where(r => r.Hs == hs).ToList();
        var years = counted.Where(r => (r.Reporter == a && r.Partner == b) || (r.Reporter == b && r.Partner == a)).Select(r => r.Year).Distinct().Order().ToList();
        Assert.Equal(years, body.GetProperty("years").EnumerateArray().Select(y => y.GetProperty("year").GetInt32()));
        foreach (var year in body.GetProperty("years").EnumerateArray())
        {
            var y = year.GetProperty("year").GetInt32();
            List<Row> Of(string reporter, string partner, string flow) => [.. counted.Where(r => r.Year == y && r.Reporter == reporter && r.Partner == partner && r.Flow == flow)];
            decimal? Check(JsonElement side, List<Row> own, List<Row> mirror)
            {
                var (rows, from) = own.Count > 0 ? (own, "reporter") : mirror.Count > 0 ? (mirror, "mirror") : (own, (string?)null);
                Assert.Equal(from, side.GetProperty("from").GetString());
                if (from is null)
                {
                    return null;
                }
                AssertFigure(rows, side.GetProperty("figure"));
                return Value(rows);
            }
            var exports = Check(year.GetProperty("exports"), Of(a, b, "X"), Of(b, a, "M"));
            var imports = Check(year.GetProperty("imports"), Of(a, b, "M"), Of(b, a, "X"));
            Assert.Equal(exports is { } x && imports is { } m ? x - m : null, Dec(year.GetProperty("balanceUsd")));
        }
    }

    [Theory]
    [InlineData("FRA", "DEU", "X", "TOTAL", "value")]
    [InlineData("DEU", "ITA", "M", "27", "weight")]
    [InlineData("TUR", "USA", "X", "2709", "value")]
    public async Task Partner_share_uses_the_world_total_when_reported_else_the_sum_over_partners(string reporter, string partner, string flow, string hs, string basis)
    {
        var body = await Client.GetJsonAsync($"/v1/trade/partner-share?reporter={reporter}&partner={partner}&flow={flow}&hs={hs}&basis={basis}");

        var scope = fixture.Counted.Where(r => r.Reporter == reporter && r.Flow == flow && r.Hs == hs).ToList();
        Assert.Equal(scope.Select(r => r.Year).Distinct().Order(), body.GetProperty("years").EnumerateArray().Select(y => y.GetProperty("year").GetInt32()));
        foreach (var year in body.GetProperty("years").EnumerateArray())
        {
            var y = year.GetProperty("year").GetInt32();
            var own = scope.Where(r => r.Year == y && r.Partner == partner).ToList();
            var world = scope.Where(r => r.Year == y && r.Partner == "WLD").ToList();
            var partners = scope.Where(r => r.Year == y && r.Partner != "WLD").ToList();
            var numerator = On(basis, own);
            decimal? sum = partners.Count == 0 ? null : On(basis, partners) is { } s ? s : null;
            var (denominator, how) = On(basis, world) is { } w ? (w, "reportedWorldTotal") : (sum, sum is null ? null : "sumOverPartners");

            Assert.Equal(numerator, Dec(year.GetProperty("numerator")));
            Assert.Equal(denominator, Dec(year.GetProperty("denominator")));
            Assert.Equal(how, year.GetProperty("denominatorBasis").GetString());
            Assert.Equal(Percent(numerator, denominator), Dec(year.GetProperty("sharePercent")));
            Assert.Equal(partners.Select(r => r.Partner).Distinct().Count(), year.GetProperty("partnersReported").GetInt32());
            Assert.Equal(sum, Dec(year.GetProperty("sumOverPartners")));
            Assert.Equal(how == "reportedWorldTotal" ? Percent(sum, denominator) : null, Dec(year.GetProperty("coveragePercent")));
        }
    }

    [Theory]
    [InlineData("FRA", "X", "TOTAL", "2019..2021", "value")]
    [InlineData("DEU", "M", "27", "2020", "weight")]
    public async Task Top_partners_rank_the_sums_over_the_years(string reporter, string flow, string hs, string year, string basis)
    {
        var body = await Client.GetJsonAsync($"/v1/trade/top-partners?reporter={reporter}&flow={flow}&hs={hs}&year={year}&basis={basis}&limit=3");

        var (from, to) = year.Contains("..") ? (2019, 2021) : (int.Parse(year), int.Parse(year));
        var scope = fixture.Counted.Where(r => r.Reporter == reporter && r.Flow == flow && r.Hs == hs && r.Year >= from && r.Year <= to).ToList();
        var partners = scope.Where(r => r.Partner != "WLD").ToList();
        var expected = partners.GroupBy(r => r.Partner)
            .Select(g => (Partner: g.Key, Rows: g.ToList(), Key: On(basis, g)))
            .OrderBy(g => g.Key is null).ThenByDescending(g => g.Key).ThenBy(g => g.Partner, StringComparer.Ordinal).Take(3).ToList();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expected.Select(e => e.Partner), items.Select(i => i.GetProperty("code").GetString()));
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal(i + 1, items[i].GetProperty("rank").GetInt32());
            AssertFigure(expected[i].Rows, items[i].GetProperty("figure"));
            Assert.Equal(Percent(expected[i].Key, On(basis, partners)), Dec(items[i].GetProperty("sharePercent")));
        }
    }

    [Fact]
    public async Task Ranking_by_value_puts_unknown_sums_last()
    {
        var body = await Client.GetJsonAsync("/v1/trade/top-partners?reporter=TUR&flow=M&limit=100");

        var values = body.GetProperty("items").EnumerateArray().Select(i => Dec(i.GetProperty("figure").GetProperty("valueUsd"))).ToList();
        var known = values.TakeWhile(v => v is not null).ToList();
        Assert.All(values.Skip(known.Count), v => Assert.Null(v));
        Assert.Equal(known.OrderByDescending(v => v), known);
    }

    [Theory]
    [InlineData("FRA", "DEU", "X", "chapter")]
    [InlineData("DEU", "TUR", "M", "heading")]
    public async Task Top_commodities_rank_rows_of_one_level_against_the_total(string reporter, string partner, string flow, string level)
    {
        var body = await Client.GetJsonAsync($"/v1/trade/top-commodities?reporter={reporter}&partner={partner}&flow={flow}&level={level}&year=2020..2021");

        var digits = level == "chapter" ? 2 : 4;
        var scope = fixture.Counted.Where(r => r.Reporter == reporter && r.Partner == partner && r.Flow == flow && r.Year is >= 2020 and <= 2021).ToList();
        var total = scope.Where(r => r.Hs == "TOTAL").ToList();
        var expected = scope.Where(r => r.Hs.Length == digits).GroupBy(r => r.Hs)
            .Select(g => (Hs: g.Key, Rows: g.ToList(), Key: Value(g)))
            .OrderBy(g => g.Key is null).ThenByDescending(g => g.Key).ThenBy(g => g.Hs, StringComparer.Ordinal).ToList();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expected.Select(e => e.Hs), items.Select(i => i.GetProperty("code").GetString()));
        for (var i = 0; i < items.Count; i++)
        {
            AssertFigure(expected[i].Rows, items[i].GetProperty("figure"));
            Assert.Equal(Percent(expected[i].Key, Value(total)), Dec(items[i].GetProperty("sharePercent")));
        }
        Assert.False(string.IsNullOrEmpty(items[0].GetProperty("description").GetString()));
    }

    [Theory]
    [InlineData("FRA", "DEU", "X", "TOTAL")]
    [InlineData("TUR", "DEU", "M", "27")]
    public async Task Mirror_compares_each_report_with_the_partners_opposite_flow(string reporter, string partner, string flow, string hs)
    {
        var body = await Client.GetJsonAsync($"/v1/trade/mirror?reporter={reporter}&partner={partner}&flow={flow}&hs={hs}");

        var mirrorFlow = flow == "X" ? "M" : "X";
        var reported = fixture.Counted.Where(r => r.Reporter == reporter && r.Partner == partner && r.Flow == flow && r.Hs == hs).ToList();
        var mirror = fixture.Counted.Where(r => r.Reporter == partner && r.Partner == reporter && r.Flow == mirrorFlow && r.Hs == hs).ToList();
        Assert.Contains("CIF", body.GetProperty("caveat").GetString());
        Assert.Equal(reported.Concat(mirror).Select(r => r.Year).Distinct().Order(), body.GetProperty("years").EnumerateArray().Select(y => y.GetProperty("year").GetInt32()));
        foreach (var year in body.GetProperty("years").EnumerateArray())
        {
            var y = year.GetProperty("year").GetInt32();
            var x = Value(reported.Where(r => r.Year == y));
            var m = Value(mirror.Where(r => r.Year == y));
            Assert.Equal(x, year.GetProperty("reported").GetProperty("figure") is { ValueKind: not JsonValueKind.Null } f1 ? Dec(f1.GetProperty("valueUsd")) : null);
            Assert.Equal(m, year.GetProperty("mirror").GetProperty("figure") is { ValueKind: not JsonValueKind.Null } f2 ? Dec(f2.GetProperty("valueUsd")) : null);
            var gap = x is { } a && m is { } b ? a - b : (decimal?)null;
            Assert.Equal(gap, Dec(year.GetProperty("gapUsd")));
            Assert.Equal(Percent(gap, m), Dec(year.GetProperty("gapPercent")));
        }
    }

    [Fact]
    public async Task Summary_groups_stored_rows_by_whitelisted_dimensions_exactly()
    {
        var body = await Client.GetJsonAsync("/v1/trade/summary?groupBy=year,partner&metrics=count,sumValueUsd,sumNetWeightKg,maxValueUsd&reporter=FRA&flow=X&hs=27&transportMode=0");

        var scope = fixture.Rows.Where(r => r.Reporter == "FRA" && r.Flow == "X" && r.Hs.StartsWith("27") && r.TransportMode == 0).ToList();
        var expected = scope.GroupBy(r => (r.Year, r.Partner)).OrderBy(g => g.Key.Year).ThenBy(g => g.Key.Partner, StringComparer.Ordinal).ToList();
        var groups = body.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(expected.Count, groups.Count);
        Assert.False(body.GetProperty("truncated").GetBoolean());
        for (var i = 0; i < groups.Count; i++)
        {
            Assert.Equal(expected[i].Key.Year, groups[i].GetProperty("key").GetProperty("year").GetInt32());
            Assert.Equal(expected[i].Key.Partner, groups[i].GetProperty("key").GetProperty("partner").GetString());
            var metrics = groups[i].GetProperty("metrics");
            Assert.Equal(expected[i].Count(), metrics.GetProperty("count").GetInt32());
            Assert.Equal(Value(expected[i]), Dec(metrics.GetProperty("sumValueUsd")));
            Assert.Equal(Weight(expected[i]), Dbl(metrics.GetProperty("sumNetWeightKg")));
            Assert.Equal(expected[i].Max(r => r.Cents) / 100m, Dec(metrics.GetProperty("maxValueUsd")));
        }
    }

    [Fact]
    public async Task Summary_says_when_groups_are_cut_off()
    {
        var body = await Client.GetJsonAsync("/v1/trade/summary?groupBy=reporter,partner,year&limit=5");

        Assert.True(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(5, body.GetProperty("groups").GetArrayLength());
    }

    [Fact]
    public async Task Money_sums_are_exact_beyond_double_precision()
    {
        // 0.10 + 0.20 and sums past 2^53 cents: binary floating point would show 0.30000000000000004 or lose the cents.
        Row R(long id, int month, long cents) => new(id, "ISL", "NOR", 2030, month, "X", "TOTAL", 0, cents, 1, "FOB");
        await InsertAsync(Client, fixture, [R(1, 1, 10), R(2, 2, 20), R(3, 3, 9_007_199_254_740_993), R(4, 4, 1)]);

        var body = await Client.GetJsonAsync("/v1/trade/balance?reporter=ISL&partner=NOR&year=2030");

        Assert.Equal(90_071_992_547_410.24m, Dec(body.GetProperty("years")[0].GetProperty("exports").GetProperty("figure").GetProperty("valueUsd")));
    }

    [Theory]
    [InlineData("/v1/trade/balance?reporter=FRA", "partner")]
    [InlineData("/v1/trade/balance?reporter=FRA&partner=FR", "partner")]
    [InlineData("/v1/trade/balance?reporter=FRA&partner=DEU&hs=27%25", "hs")]
    [InlineData("/v1/trade/balance?reporter=FRA&partner=DEU&year=2022..2020", "year")]
    [InlineData("/v1/trade/partner-share?reporter=FRA&partner=DEU&flow=Q", "flow")]
    [InlineData("/v1/trade/partner-share?reporter=FRA&partner=WLD&flow=X", "partner")]
    [InlineData("/v1/trade/partner-share?reporter=FRA&partner=DEU&flow=X&basis=quantity", "basis")]
    [InlineData("/v1/trade/top-partners?reporter=FRA&flow=X&limit=101", "limit")]
    [InlineData("/v1/trade/top-commodities?reporter=FRA&partner=DEU&flow=X&level=section", "level")]
    [InlineData("/v1/trade/mirror?reporter=FRA&partner=DEU&flow=RX", "flow")]
    [InlineData("/v1/trade/summary?groupBy=year,value_usd_cents", "groupBy")]
    [InlineData("/v1/trade/summary?metrics=avg(value)", "metrics")]
    [InlineData("/v1/trade/summary?year=abc", "year")]
    public async Task Bad_parameters_are_400_naming_the_parameter(string url, string parameter)
    {
        var problem = await (await Client.GetAsync(url)).AssertProblemAsync(400, "invalidParameter");

        Assert.NotEmpty(problem.FieldErrors(parameter));
    }

    [Fact]
    public async Task Unknown_parameters_are_rejected()
    {
        var response = await Client.GetAsync("/v1/trade/balance?reporter=FRA&partner=DEU&flow=X");

        await response.AssertProblemAsync(400, "unknownParameter");
    }

    [Fact]
    public async Task Codes_in_any_form_give_the_same_answer()
    {
        var alpha3 = await Client.GetStringAsync("/v1/trade/balance?reporter=FRA&partner=DEU");
        var other = await Client.GetStringAsync("/v1/trade/balance?reporter=fr&partner=276");

        Assert.Equal(alpha3, other);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/trade/balance?reporter=FRA&partner=DEU")).StatusCode);
    }
}

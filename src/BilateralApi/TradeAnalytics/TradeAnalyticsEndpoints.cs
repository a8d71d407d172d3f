using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.TradeRecords;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.TradeAnalytics;

public static class TradeAnalyticsEndpoints
{
    public static RouteGroupBuilder MapTradeAnalytics(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/trade").WithTags("Trade analytics");

        group.MapGet("/balance", Balance).WithName("getTradeBalance")
            .WithSummary("Trade balance of a pair per year")
            .WithDescription("Exports, imports and balance (exports − imports) per year of the reporter with the partner for one exact HS code (default TOTAL). Each direction comes from the country's own report when it has one ('reporter'), else from the partner's report of the opposite flow ('mirror'), and says whose report it is. Sums are exact (integer cents) and null when any counted row lacks a value. Counted rows: transport mode 0; the annual row of a year, else its monthly rows.");
        group.MapGet("/partner-share", PartnerShare).WithName("getPartnerShare")
            .WithSummary("A partner's share in a reporter's trade")
            .WithDescription("Per year: numerator (the partner's figure), denominator (the reporter's reported World total when it has one on the basis, else the sum over all its partner rows), share in percent, how the denominator was formed, how many partners are reported and their coverage of the World total. Basis value (US dollars) or weight (net kg).");
        group.MapGet("/top-partners", TopPartners).WithName("listTopPartners")
            .WithSummary("A reporter's largest partners")
            .WithDescription("Partners (other than WLD) ranked by the reporter's flow of one exact HS code summed over the years, by value or weight, with each partner's share of the sum over all partners and the reported World total for comparison.");
        group.MapGet("/top-commodities", TopCommodities).WithName("listTopCommodities")
            .WithSummary("The largest commodities of a flow between two countries")
            .WithDescription("HS codes reported at one level (chapter, heading or subheading) ranked by value or weight over the years, with their share of the reported TOTAL of the same flow. Only rows stored at that level are ranked: levels are never summed into each other.");
        group.MapGet("/mirror", Mirror).WithName("getTradeMirror")
            .WithSummary("A flow as both countries report it")
            .WithDescription("Per year, what the reporter reports for a flow with the partner against what the partner reports for the opposite flow (X against M, M against X), with the gap in dollars and percent and the CIF/FOB caveat.");
        group.MapGet("/summary", Summary).WithName("getTradeSummary")
            .WithSummary("Group and aggregate trade records")
            .WithDescription("Stored trade records matching the filters (as in /v1/trade-records), grouped by whitelisted dimensions and aggregated by whitelisted metrics. Rows are taken as stored: choose filters that do not mix HS levels, annual and monthly rows or transport modes if you want totals. Money sums are exact and null when a row in the group lacks a value.");
        return group;
    }

    public static async Task<Results<Ok<TradeBalanceResponse>, ValidationProblem>> Balance(
        [AsParameters] TradeBalanceQuery query, TradeAnalyticsRepository trade, CountryCatalog countries, CodeListCatalog codes, CancellationToken cancellationToken)
    {
        var p = new AnalyticsParameters(countries, codes);
        var reporter = p.Country("reporter", query.Reporter);
        var partner = p.Country("partner", query.Partner);
        var hs = p.Hs("hs", query.Hs);
        var years = p.Years("year", query.Year);
        SamePair(p, reporter, partner);
        if (!p.IsValid)
        {
            return p.Filters.Problem();
        }
        return TypedResults.Ok(await trade.BalanceAsync(reporter, partner, hs, years, cancellationToken));
    }

    public static async Task<Results<Ok<PartnerShareResponse>, ValidationProblem>> PartnerShare(
        [AsParameters] PartnerShareQuery query, TradeAnalyticsRepository trade, CountryCatalog countries, CodeListCatalog codes, CancellationToken cancellationToken)
    {
        var p = new AnalyticsParameters(countries, codes);
        var reporter = p.Country("reporter", query.Reporter);
        var partner = p.Country("partner", query.Partner);
        var flow = p.Flow("flow", query.Flow);
        var hs = p.Hs("hs", query.Hs);
        var years = p.Years("year", query.Year);
        var basis = p.Basis("basis", query.Basis);
        SamePair(p, reporter, partner);
        if (!p.IsValid)
        {
            return p.Filters.Problem();
        }
        return TypedResults.Ok(await trade.PartnerShareAsync(reporter, partner, flow, hs, years, basis, cancellationToken));
    }

    public static async Task<Results<Ok<TopPartnersResponse>, ValidationProblem>> TopPartners(
        [AsParameters] TopPartnersQuery query, TradeAnalyticsRepository trade, CountryCatalog countries, CodeListCatalog codes, CancellationToken cancellationToken)
    {
        var p = new AnalyticsParameters(countries, codes);
        var reporter = p.Country("reporter", query.Reporter);
        var flow = p.Flow("flow", query.Flow);
        var hs = p.Hs("hs", query.Hs);
        var years = p.Years("year", query.Year);
        var basis = p.Basis("basis", query.Basis);
        var limit = p.Limit("limit", query.Limit, 10, 100);
        if (!p.IsValid)
        {
            return p.Filters.Problem();
        }
        return TypedResults.Ok(await trade.TopPartnersAsync(reporter, flow, hs, years, basis, limit, cancellationToken));
    }

    public static async Task<Results<Ok<TopCommoditiesResponse>, ValidationProblem>> TopCommodities(
        [AsParameters] TopCommoditiesQuery query, TradeAnalyticsRepository trade, CountryCatalog countries, CodeListCatalog codes, CancellationToken cancellationToken)
    {
        var p = new AnalyticsParameters(countries, codes);
        var reporter = p.Country("reporter", query.Reporter);
        var partner = p.Country("partner", query.Partner, allowWorld: true);
        var flow = p.Flow("flow", query.Flow);
        var level = p.Choice("level", query.Level, "chapter", "chapter", "heading", "subheading");
        var years = p.Years("year", query.Year);
        var basis = p.Basis("basis", query.Basis);
        var limit = p.Limit("limit", query.Limit, 10, 100);
        SamePair(p, reporter, partner);
        if (!p.IsValid)
        {
            return p.Filters.Problem();
        }
        return TypedResults.Ok(await trade.TopCommoditiesAsync(reporter, partner, flow, level, years, basis, limit, cancellationToken));
    }

    public static async Task<Results<Ok<TradeMirrorResponse>, ValidationProblem>> Mirror(
        [AsParameters] TradeMirrorQuery query, TradeAnalyticsRepository trade, CountryCatalog countries, CodeListCatalog codes, CancellationToken cancellationToken)
    {
        var p = new AnalyticsParameters(countries, codes);
        var reporter = p.Country("reporter", query.Reporter);
        var partner = p.Country("partner", query.Partner);
        var flow = p.Flow("flow", query.Flow, "X", "M");
        var hs = p.Hs("hs", query.Hs);
        var years = p.Years("year", query.Year);
        SamePair(p, reporter, partner);
        if (!p.IsValid)
        {
            return p.Filters.Problem();
        }
        return TypedResults.Ok(await trade.MirrorAsync(reporter, partner, flow, hs, years, cancellationToken));
    }

    /// <summary>groupBy dimension → SQL expression; the only text that enters the statement.</summary>
    private static readonly Dictionary<string, string> Dimensions = new(StringComparer.Ordinal)
    {
        ["year"] = "t.year",
        ["month"] = "t.month",
        ["reporter"] = "t.reporter",
        ["partner"] = "t.partner",
        ["flow"] = "t.flow",
        ["hs"] = "t.hs",
        ["hsChapter"] = "CASE WHEN t.hs = 'TOTAL' THEN 'TOTAL' ELSE substr(t.hs, 1, 2) END",
        ["transportMode"] = "t.transport_mode",
        ["valueBasis"] = "t.value_basis",
    };

    private static readonly string[] MetricNames = ["count", "sumValueUsd", "sumNetWeightKg", "minValueUsd", "maxValueUsd", "rowsWithoutValue", "rowsWithoutWeight"];

    public static async Task<Results<Ok<TradeSummaryResponse>, ValidationProblem>> Summary(
        [AsParameters] TradeSummaryQuery query, TradeAnalyticsRepository trade, CountryCatalog countries, CodeListCatalog codes, CancellationToken cancellationToken)
    {
        var p = new AnalyticsParameters(countries, codes);
        var groupBy = Names(p, "groupBy", query.GroupBy ?? "year", Dimensions.Keys);
        var metrics = Names(p, "metrics", query.Metrics ?? "count,sumValueUsd", MetricNames);
        var limit = p.Limit("limit", query.Limit, 1000, 10000);
        var filters = p.Filters;
        filters.Countries("reporter", query.Reporter, "t.reporter");
        filters.Countries("partner", query.Partner, "t.partner");
        filters.Pair("pair", query.Pair, "((t.reporter = {0} AND t.partner = {1}) OR (t.reporter = {1} AND t.partner = {0}))");
        filters.Integers("year", query.Year, "t.year", TradeRecordWriteValidator.MinYear, TradeRecordWriteValidator.MaxYear);
        filters.Integers("month", query.Month, "t.month", 1, 12);
        filters.Codes("flow", query.Flow, "t.flow", "tradeFlow");
        filters.HsPrefixes("hs", query.Hs, "t.hs");
        filters.Integers("transportMode", query.TransportMode, "t.transport_mode", 0, 9999);
        if (!p.IsValid)
        {
            return filters.Problem();
        }
        var select = string.Join(", ", groupBy.Select((d, i) => $"{Dimensions[d]} AS g{i}"));
        var keys = string.Join(", ", groupBy.Select((_, i) => $"g{i}"));
        filters.Sql.Parameters.Add("limit", limit + 1);
        var sql = string.Format(CultureInfo.InvariantCulture, TradeAnalyticsSql.Summary, select, filters.Sql.Where, keys);
        var rows = await trade.SummaryAsync(sql, filters.Sql, cancellationToken);
        var groups = rows.Take(limit).Select(r => new TradeSummaryGroup(
            groupBy.Select((d, i) => (d, r[$"g{i}"])).ToDictionary(x => x.d, x => x.Item2),
            metrics.ToDictionary(m => m, m => Metric(m, r)))).ToList();
        return TypedResults.Ok(new TradeSummaryResponse(groupBy, metrics, rows.Count > limit, groups));
    }

    private static object? Metric(string metric, IDictionary<string, object?> row)
    {
        var rowCount = Convert.ToInt64(row["Rows"], CultureInfo.InvariantCulture);
        var withoutValue = Convert.ToInt64(row["RowsWithoutValue"], CultureInfo.InvariantCulture);
        var withoutWeight = Convert.ToInt64(row["RowsWithoutWeight"], CultureInfo.InvariantCulture);
        decimal? Money(string column) => withoutValue > 0 || row[column] is null ? null : Convert.ToInt64(row[column], CultureInfo.InvariantCulture) / 100m;
        return metric switch
        {
            "count" => rowCount,
            "sumValueUsd" => Money("ValueCents"),
            "minValueUsd" => row["MinValueCents"] is null ? null : Convert.ToInt64(row["MinValueCents"], CultureInfo.InvariantCulture) / 100m,
            "maxValueUsd" => row["MaxValueCents"] is null ? null : Convert.ToInt64(row["MaxValueCents"], CultureInfo.InvariantCulture) / 100m,
            "sumNetWeightKg" => withoutWeight > 0 || row["WeightKg"] is null ? null : Convert.ToDouble(row["WeightKg"], CultureInfo.InvariantCulture),
            "rowsWithoutValue" => withoutValue,
            "rowsWithoutWeight" => withoutWeight,
            _ => null,
        };
    }

    /// <summary>A comma-separated list of whitelisted names, each at most once.</summary>
    private static List<string> Names(AnalyticsParameters p, string parameter, string raw, IEnumerable<string> allowed)
    {
        var allowedSet = allowed.ToList();
        var names = raw.Split(',', StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !allowedSet.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            p.Filters.Error(parameter, $"'{string.Join(", ", unknown)}' is not allowed. Allowed: {string.Join(", ", allowedSet)}.");
        }
        else if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            p.Filters.Error(parameter, "Give each name once.");
        }
        return unknown.Count > 0 ? [] : [.. names];
    }

    private static void SamePair(AnalyticsParameters p, string reporter, string partner)
    {
        if (reporter.Length > 0 && reporter == partner)
        {
            p.Filters.Error("partner", "The partner must differ from the reporter.");
        }
    }
}

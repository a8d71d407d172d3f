using System.ComponentModel;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.TradeAnalytics;

/// <summary>One aggregated trade figure and the rows it rests on.</summary>
[Description("A trade figure summed over the counted rows (transport mode 0; the annual row of a year, else its monthly rows). A sum is null when no row was found or when any counted row lacks the figure: a partial sum is never shown as whole.")]
public sealed record TradeFigure(
    [property: Description("Value in US dollars, exact (summed as integer cents); null when unknown.")] decimal? ValueUsd,
    [property: Description("Net weight in kilograms; null when unknown.")] double? NetWeightKg,
    [property: Description("Number of trade records counted.")] int Rows,
    [property: Description("How many of them are monthly rows (a year built from fewer than 12 months is partial).")] int MonthlyRows,
    [property: Description("Counted rows without a value (then valueUsd is null).")] int RowsWithoutValue,
    [property: Description("Counted rows without a weight (then netWeightKg is null).")] int RowsWithoutWeight);

/// <summary>A directional figure of the balance and whose report it is.</summary>
[Description("Exports or imports of a pair in one year, from the reporter's own report when it has one, else from the partner's mirror report.")]
public sealed record BalanceFlow(
    [property: Description("'reporter' (the country's own report) or 'mirror' (the partner's report of the opposite flow); null when neither reports it.")] string? From,
    [property: Description("Alpha-3 of the country whose report the figure is; null when none.")] string? ReportedBy,
    [property: Description("The figure; null when neither side reports it.")] TradeFigure? Figure);

[Description("One year of a pair's trade from the reporter's side.")]
public sealed record BalanceYear(
    int Year,
    [property: Description("What the reporter sold to the partner.")] BalanceFlow Exports,
    [property: Description("What the reporter bought from the partner.")] BalanceFlow Imports,
    [property: Description("exports.valueUsd − imports.valueUsd (exact); null when either is unknown.")] decimal? BalanceUsd);

[Description("Exports, imports and balance per year of a reporter with a partner.")]
public sealed record TradeBalanceResponse(
    [property: Description("Alpha-3 of the country whose side the figures are labelled from.")] string Reporter,
    [property: Description("Alpha-3 of the partner.")] string Partner,
    [property: Description("HS code the figures are for (TOTAL = all goods).")] string Hs,
    [property: Description("Years with a report from either side, ascending.")] IReadOnlyList<BalanceYear> Years);

[Description("The share of one partner in a reporter's trade of one flow and HS code, in one year.")]
public sealed record PartnerShareYear(
    int Year,
    [property: Description("The partner's figure on the basis (US dollars or kg); null when not reported or incomplete.")] decimal? Numerator,
    [property: Description("The reporter's total with all partners on the basis; null when neither a World row nor partner rows give it.")] decimal? Denominator,
    [property: Description("numerator ÷ denominator × 100, rounded to 4 decimals (banker's rounding); null when either is unknown or the denominator is 0.")] decimal? SharePercent,
    [property: Description("'reportedWorldTotal' (the reporter's row with partner WLD) or 'sumOverPartners' (the sum of its partner rows); null when there is no denominator.")] string? DenominatorBasis,
    [property: Description("Distinct partners (other than WLD) the reporter reports for this year.")] int PartnersReported,
    [property: Description("Sum over those partners on the basis; null when unknown.")] decimal? SumOverPartners,
    [property: Description("With a World denominator: sumOverPartners ÷ World total × 100 (4 decimals), how much of the total the partner rows account for; null otherwise.")] decimal? CoveragePercent,
    [property: Description("The partner's counted figure.")] TradeFigure PartnerFigure,
    [property: Description("The World row's counted figure, when reported.")] TradeFigure? WorldFigure);

[Description("A partner's share in a reporter's trade per year.")]
public sealed record PartnerShareResponse(
    string Reporter, string Partner, string Flow, string Hs,
    [property: Description("'value' (US dollars) or 'weight' (kg).")] string Basis,
    IReadOnlyList<PartnerShareYear> Years);

[Description("A ranked partner or commodity.")]
public sealed record RankedFigure(
    [property: Description("1 for the largest on the basis.")] int Rank,
    [property: Description("Partner alpha-3 (top-partners) or HS code (top-commodities).")] string Code,
    [property: Description("Commodity description (top-commodities); null for partners.")] string? Description,
    TradeFigure Figure,
    [property: Description("This entry's figure ÷ the total on the basis × 100 (4 decimals); null when either is unknown.")] decimal? SharePercent);

[Description("Partners of a reporter ranked by a flow of one HS code over a range of years.")]
public sealed record TopPartnersResponse(
    string Reporter, string Flow, string Hs, int YearFrom, int YearTo, string Basis,
    [property: Description("Always 'sumOverPartners': shares are of the sum over all partners other than WLD.")] string DenominatorBasis,
    [property: Description("The sum over all partners other than WLD.")] TradeFigure? SumOverPartners,
    [property: Description("The reporter's World (WLD) row(s) over the same years, for comparison; null when not reported.")] TradeFigure? WorldTotal,
    IReadOnlyList<RankedFigure> Items);

[Description("Commodities of a reporter's flow with a partner at one HS level.")]
public sealed record TopCommoditiesResponse(
    string Reporter, string Partner, string Flow, int YearFrom, int YearTo,
    [property: Description("chapter (2 digits), heading (4) or subheading (6): only rows reported at that level are ranked.")] string Level,
    string Basis,
    [property: Description("The reported TOTAL of the same flow, which shares are measured against; null when not reported (then shares are null).")] TradeFigure? Total,
    IReadOnlyList<RankedFigure> Items);

[Description("One side of a mirror comparison.")]
public sealed record MirrorSide(
    [property: Description("Alpha-3 of the reporting country.")] string ReportedBy,
    [property: Description("The flow as that country reports it.")] string Flow,
    [property: Description("valueBasis codes of the rows (CIF, FOB, unknown).")] IReadOnlyList<string> ValueBases,
    TradeFigure? Figure);

[Description("A reported flow against its mirror in one year.")]
public sealed record MirrorYear(
    int Year,
    MirrorSide Reported,
    MirrorSide Mirror,
    [property: Description("reported.valueUsd − mirror.valueUsd (exact); null when either is unknown.")] decimal? GapUsd,
    [property: Description("gapUsd ÷ mirror.valueUsd × 100 (4 decimals); null when unknown or the mirror is 0.")] decimal? GapPercent);

[Description("What the reporter says it traded with the partner against what the partner says, per year.")]
public sealed record TradeMirrorResponse(
    string Reporter, string Partner, string Flow, string Hs,
    [property: Description("Why the two figures differ even when both are right.")] string Caveat,
    IReadOnlyList<MirrorYear> Years);

[Description("One group of the summary: its key values and the metrics asked for.")]
public sealed record TradeSummaryGroup(
    [property: Description("Values of the groupBy dimensions, by dimension name.")] IReadOnlyDictionary<string, object?> Key,
    [property: Description("Values of the metrics asked for, by metric name.")] IReadOnlyDictionary<string, object?> Metrics);

[Description("Stored trade records grouped and aggregated.")]
public sealed record TradeSummaryResponse(
    IReadOnlyList<string> GroupBy,
    IReadOnlyList<string> Metrics,
    [property: Description("True when there were more groups than 'limit'.")] bool Truncated,
    IReadOnlyList<TradeSummaryGroup> Groups);

/// <summary>Parameters every trade analytic takes for the years.</summary>
public interface IYearQuery
{
    string? Year { get; }
}

public sealed class TradeBalanceQuery : IYearQuery
{
    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "reporter"), Description("The country whose side the figures are labelled from (required): alpha-3, alpha-2 or numeric.")]
    [Example("AZE")]
    public string? Reporter { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "partner"), Description("The other country (required); not WLD.")]
    [Example("ISR")]
    public string? Partner { get; set; }

    [FromQuery(Name = "hs"), Description("HS code, matched exactly: TOTAL (default, all goods), a chapter (27), heading (2709) or subheading (270900).")]
    [Example("27")]
    public string? Hs { get; set; }

    [FromQuery(Name = "year"), Description("A year or a range: 2023, 2020..2024, 2020.. or ..2024 (default: all years).")]
    [Example("2020..2024")]
    public string? Year { get; set; }
}

public sealed class PartnerShareQuery : IYearQuery
{
    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "reporter"), Description("The reporting country (required).")]
    [Example("AZE")]
    public string? Reporter { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "partner"), Description("The partner whose share is asked for (required); not WLD.")]
    [Example("ISR")]
    public string? Partner { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "flow"), Description("tradeFlow code from the reporter's side (required): M, X, RM or RX.")]
    [Example("X")]
    public string? Flow { get; set; }

    [FromQuery(Name = "hs"), Description("HS code, matched exactly: TOTAL (default), 27, 2709 or 270900.")]
    [Example("27")]
    public string? Hs { get; set; }

    [FromQuery(Name = "year"), Description("A year or a range: 2023, 2020..2024, 2020.. or ..2024 (default: all years).")]
    [Example("2023")]
    public string? Year { get; set; }

    [FromQuery(Name = "basis"), Description("value (US dollars, default) or weight (net kg).")]
    [Example("value")]
    public string? Basis { get; set; }
}

public sealed class TopPartnersQuery : IYearQuery
{
    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "reporter"), Description("The reporting country (required).")]
    [Example("AZE")]
    public string? Reporter { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "flow"), Description("tradeFlow code (required): M, X, RM or RX.")]
    [Example("X")]
    public string? Flow { get; set; }

    [FromQuery(Name = "hs"), Description("HS code, matched exactly: TOTAL (default), 27, 2709 or 270900.")]
    [Example("2709")]
    public string? Hs { get; set; }

    [FromQuery(Name = "year"), Description("A year or a range, summed: 2024, 2020..2024 (default: all years).")]
    [Example("2024")]
    public string? Year { get; set; }

    [FromQuery(Name = "basis"), Description("Rank by value (US dollars, default) or weight (net kg).")]
    [Example("value")]
    public string? Basis { get; set; }

    [FromQuery(Name = "limit"), Description("How many to return, 1 to 100 (default 10).")]
    [Example("10")]
    public string? Limit { get; set; }
}

public sealed class TopCommoditiesQuery : IYearQuery
{
    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "reporter"), Description("The reporting country (required).")]
    [Example("AZE")]
    public string? Reporter { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "partner"), Description("The partner (required); WLD for the reporter's trade with the world.")]
    [Example("ISR")]
    public string? Partner { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "flow"), Description("tradeFlow code (required): M, X, RM or RX.")]
    [Example("X")]
    public string? Flow { get; set; }

    [FromQuery(Name = "level"), Description("HS level: chapter (2 digits, default), heading (4) or subheading (6).")]
    [Example("chapter")]
    public string? Level { get; set; }

    [FromQuery(Name = "year"), Description("A year or a range, summed: 2023, 2020..2024 (default: all years).")]
    [Example("2023")]
    public string? Year { get; set; }

    [FromQuery(Name = "basis"), Description("Rank by value (US dollars, default) or weight (net kg).")]
    [Example("value")]
    public string? Basis { get; set; }

    [FromQuery(Name = "limit"), Description("How many to return, 1 to 100 (default 10).")]
    [Example("10")]
    public string? Limit { get; set; }
}

public sealed class TradeMirrorQuery : IYearQuery
{
    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "reporter"), Description("Country A, whose report is compared (required).")]
    [Example("AZE")]
    public string? Reporter { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "partner"), Description("Country B, whose mirror report is the comparison (required); not WLD.")]
    [Example("ISR")]
    public string? Partner { get; set; }

    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "flow"), Description("The flow as A reports it (required): X (compared with B's M) or M (compared with B's X).")]
    [Example("X")]
    public string? Flow { get; set; }

    [FromQuery(Name = "hs"), Description("HS code, matched exactly: TOTAL (default), 27, 2709 or 270900.")]
    [Example("27")]
    public string? Hs { get; set; }

    [FromQuery(Name = "year"), Description("A year or a range: 2023, 2020..2024 (default: all years).")]
    [Example("2020..2024")]
    public string? Year { get; set; }
}

public sealed class TradeSummaryQuery
{
    [FromQuery(Name = "groupBy"), Description("Dimensions to group by, comma-separated (default year): year, month, reporter, partner, flow, hs, hsChapter, transportMode, valueBasis.")]
    [Example("year,partner")]
    public string? GroupBy { get; set; }

    [FromQuery(Name = "metrics"), Description("Aggregates, comma-separated (default count,sumValueUsd): count, sumValueUsd, sumNetWeightKg, minValueUsd, maxValueUsd, rowsWithoutValue, rowsWithoutWeight.")]
    [Example("count,sumValueUsd,sumNetWeightKg")]
    public string? Metrics { get; set; }

    [FromQuery(Name = "reporter"), Description("Reporting countries: a,b (any of) or !a,b (none of).")]
    [Example("AZE")]
    public string? Reporter { get; set; }

    [FromQuery(Name = "partner"), Description("Partner countries (WLD = World): a,b or !a,b.")]
    [Example("!WLD")]
    public string? Partner { get; set; }

    [FromQuery(Name = "pair"), Description("Two countries, both involved, in either direction.")]
    [Example("AZE,ISR")]
    public string? Pair { get; set; }

    [FromQuery(Name = "year"), Description("Years: 2024, 2022,2024, !2020 or a range 2020..2023.")]
    [Example("2020..2024")]
    public string? Year { get; set; }

    [FromQuery(Name = "month"), Description("Months 1 to 12: 1, 1,2,3 or 1..6. Annual rows (month null) match only !… lists.")]
    [Example("1..6")]
    public string? Month { get; set; }

    [FromQuery(Name = "flow"), Description("tradeFlow codes: a,b or !a,b.")]
    [Example("X")]
    public string? Flow { get; set; }

    [FromQuery(Name = "hs"), Description("HS codes by prefix (27 finds 2709), or TOTAL: a,b or !a,b.")]
    [Example("27")]
    public string? Hs { get; set; }

    [FromQuery(Name = "transportMode"), Description("transportMode codes: a,b or !a,b.")]
    [Example("0")]
    public string? TransportMode { get; set; }

    [FromQuery(Name = "limit"), Description("Most groups returned, 1 to 10000 (default 1000); 'truncated' says when there were more.")]
    [Example("1000")]
    public string? Limit { get; set; }
}

using System.ComponentModel;
using BilateralApi.Claims;
using Dapper;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;

namespace BilateralApi.TradeAnalytics;

[Description("The acceptance interval for the observed value, in the claim's unit.")]
public sealed record ClaimTolerance(
    [property: Description("How the interval follows from the qualifier: exact (± half a unit of the last stated digit), about (± 10 % of the claimed value), atLeast, atMost, moreThan, lessThan (one-sided); a range value..valueTo is widened the same way.")] string Rule,
    [property: Description("Lowest accepted value; null when unbounded.")] decimal? Low,
    [property: Description("Highest accepted value; null when unbounded.")] decimal? High,
    [property: Description("False when the low bound itself is not accepted (moreThan).")] bool LowInclusive,
    [property: Description("False when the high bound itself is not accepted (lessThan).")] bool HighInclusive);

[Description("A trade record the recomputation used, and what for.")]
public sealed record ClaimCheckRow(
    long Id, string Reporter, string Partner, int Year, int? Month, string Flow, string Hs, decimal? ValueUsd, double? NetWeightKg, string SourceId,
    [property: Description("numerator, denominator (World row or partner rows summed), or context (a partner row shown for coverage but not in the denominator).")] string Role);

[Description("The indicator recomputed from the trade data.")]
public sealed record ClaimObservation(
    [property: Description("The recomputed value in the claim's unit; null when it cannot be computed.")] decimal? Value,
    [property: Description("Unit of value: percent, usd, tonnes, kg or rank.")] string Unit,
    [property: Description("The numerator on the basis (US dollars or kg); for trade value and turnover the value itself.")] decimal? Numerator,
    [property: Description("The denominator on the basis, for shares; null otherwise.")] decimal? Denominator,
    [property: Description("reportedWorldTotal or sumOverPartners for shares (mixed when the years differ); null otherwise.")] string? DenominatorBasis,
    [property: Description("Trade records used.")] IReadOnlyList<ClaimCheckRow> Rows);

[Description("What the check compared: the claim's coding as applied, with defaults made explicit.")]
public sealed record ClaimCheckScope(
    string? Reporter, string? Partner, string? Flow,
    [property: Description("HS code matched exactly (TOTAL when the claim names none).")] string Hs,
    [property: Description("First year checked; null when no year could be chosen.")] int? YearFrom,
    int? YearTo,
    [property: Description("value or weight.")] string Basis);

[Description("A claim recomputed from the trade data, with a verdict.")]
public sealed record ClaimCheckResponse(
    string ClaimId,
    string Indicator,
    [property: Description("The claim as stated: value (and valueTo), unit, qualifier, basis.")] ClaimedValue Claimed,
    ClaimCheckScope CheckedAs,
    [property: Description("The recomputed value and its inputs; null when nothing could be recomputed.")] ClaimObservation? Observed,
    [property: Description("The interval the observed value must fall in; null when the claim states no figure.")] ClaimTolerance? Tolerance,
    [property: Description("consistent, inconsistent or insufficientData.")] string Verdict,
    [property: Description("What is missing for a verdict (empty unless insufficientData).")] IReadOnlyList<string> Missing,
    [property: Description("Assumptions the check made and other remarks.")] IReadOnlyList<string> Notes);

[Description("The figure as the claim states it.")]
public sealed record ClaimedValue(decimal? Value, decimal? ValueTo, string Unit, string? Qualifier, string Basis);

/// <summary>Recomputes a claim's indicator from the trade records and judges it (docs/analytics.md, "Claim checks").</summary>
public sealed class ClaimChecker(TradeAnalyticsRepository trade, SqliteConnectionFactory connections)
{
    public const string Consistent = "consistent";
    public const string Inconsistent = "inconsistent";
    public const string InsufficientData = "insufficientData";

    private const string ReporterCoverage = """
        SELECT COUNT(*) AS Rows, MIN(t.year) AS FirstYear, MAX(t.year) AS LastYear
        FROM trade_record t WHERE t.reporter = @reporter AND t.flow = @flow AND t.hs = @hs
        """;

    private const string MirrorCoverage = """
        SELECT COUNT(*) AS Rows, MIN(t.year) AS FirstYear, MAX(t.year) AS LastYear
        FROM trade_record t WHERE t.reporter = @partner AND t.partner = @reporter AND t.flow = @mirrorFlow AND t.hs = @hs
        """;

    /// <summary>The reporter's monthly rows of one flow and HS code in a run of months of one year (all transport modes).</summary>
    private const string MonthRows = """
        SELECT t.id AS Id, t.reporter AS Reporter, t.partner AS Partner, t.year AS Year, t.month AS Month, t.flow AS Flow, t.hs AS Hs,
               t.value_usd_cents AS ValueUsdCents, t.net_weight_kg AS NetWeightKg, t.source_id AS SourceId
        FROM trade_record t
        WHERE t.reporter = @reporter AND t.partner = @partner AND t.flow = @flow AND t.hs = @hs AND t.year = @year
          AND t.month BETWEEN @monthFrom AND @monthTo AND t.transport_mode = 0
        ORDER BY t.month
        """;

    public async Task<ClaimCheckResponse> CheckAsync(ClaimResponse claim, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        var notes = new List<string>();
        var claimed = new ClaimedValue(claim.Value, claim.ValueTo, claim.Unit, claim.Qualifier, claim.Basis);
        var hs = claim.Hs ?? "TOTAL";
        if (claim.Hs is null)
        {
            notes.Add("The claim names no HS code; checked against TOTAL (all goods).");
        }
        var basis = claim.Unit is "tonnes" or "kg" ? "weight" : claim.Basis == "weight" ? "weight" : "value";
        if (claim.Basis == "unknown" && claim.Unit == "percent")
        {
            notes.Add("The claim does not say whether the share is of value or of weight; checked on value (US dollars).");
        }
        var flow = claim.Flow ?? claim.Indicator switch
        {
            "importPartnerShare" or "supplierRank" => "M",
            "exportPartnerShare" or "destinationRank" => "X",
            // Turnover is exports plus imports; the flow only picks the reports used to find a default year.
            "tradeTurnover" => "X",
            _ => null,
        };
        (int From, int To)? years = claim.Period is { } period ? Years(period.Bounds()) : null;
        var tolerance = claim.Value is { } value ? Tolerance(value, claim.ValueTo, claim.Qualifier) : null;
        ClaimCheckResponse Answer(ClaimObservation? observed, (int From, int To)? checkedYears)
        {
            var verdict = observed?.Value is { } v && tolerance is not null && missing.Count == 0
                ? (Within(v, tolerance) ? Consistent : Inconsistent)
                : InsufficientData;
            if (verdict == InsufficientData && missing.Count == 0)
            {
                missing.Add("The observed value could not be computed from the trade records.");
            }
            return new ClaimCheckResponse(claim.Id, claim.Indicator, claimed,
                new ClaimCheckScope(claim.Reporter, claim.Partner, claim.Indicator == "tradeTurnover" ? null : flow, hs, checkedYears?.From, checkedYears?.To, basis),
                observed, tolerance, verdict, missing, notes);
        }

        if (claim.Indicator is "importDependence" or "consumption" or "supplyShare")
        {
            // All three rest on the reporter's own production or consumption, which no trade record holds.
            missing.Add($"The indicator '{claim.Indicator}' needs the reporter's production or consumption, which the trade records do not hold.");
            return Answer(null, years);
        }
        if (claim.Indicator == "routeShare")
        {
            missing.Add("A share of what a pipeline or port carries: trade records are reported by country, not by route.");
            return Answer(null, years);
        }
        if (claim.Unit == "barrelsPerDay")
        {
            missing.Add("A rate in barrels per day: the trade records hold US dollars and kilograms per month or year, and converting needs a density and a period the claim does not give.");
            return Answer(null, years);
        }
        if (claim.Partners is { } group)
        {
            // A combined figure is not any member's, and summing the members' records would present a share
            // or value the trade data may not cover for every member; the group is not recomputed.
            missing.Add($"The claim states one figure for a group of partners ({string.Join(", ", group)}) combined; the check recomputes figures for one partner only.");
            return Answer(null, years);
        }
        if (claim.Value is null)
        {
            missing.Add("The claim states no figure, so there is nothing to compare.");
        }
        if (claim.Reporter is null)
        {
            missing.Add("The claim names no reporting country.");
        }
        if (claim.Partner is null)
        {
            missing.Add("The claim names no partner country.");
        }
        if (flow is null)
        {
            missing.Add("The claim does not say which trade flow (import or export) it is about.");
        }
        (int Year, int From, int To)? months = null;
        if (claim.Period is { } stated && stated.Bounds() is var (start, end) && (!start.EndsWith("-01-01", StringComparison.Ordinal) || !end.EndsWith("-12-31", StringComparison.Ordinal)))
        {
            // A value over whole months of one year is the sum of that year's monthly rows; annual rows cannot be
            // cut to part of a year, and a share or a rank would also need every partner's months.
            months = WholeMonthsOfOneYear(start, end);
            if (months is null || claim.Indicator is not ("tradeValue" or "tradeTurnover"))
            {
                missing.Add($"Figures for the claim's part-year period {start}..{end}: the check compares whole calendar years, and a trade value or turnover over whole months of one year, only.");
            }
        }
        if (missing.Count > 0)
        {
            return Answer(null, years);
        }
        var reporter = claim.Reporter!;
        var partner = claim.Partner!;

        if (years is null)
        {
            var latest = await LatestYearAsync(reporter, flow!, hs, cancellationToken);
            if (latest is { } year)
            {
                years = (year, year);
                notes.Add($"The claim states no period; checked against the latest year with {reporter}'s reports of this flow and HS code, {year}.");
            }
            else
            {
                missing.Add("The claim states no period.");
            }
        }

        switch (claim.Indicator)
        {
            case "importPartnerShare" or "exportPartnerShare":
                if (years is not { } shareYears)
                {
                    await ExplainMissingReporterDataAsync(missing, notes, reporter, partner, flow!, hs, null, cancellationToken);
                    return Answer(null, null);
                }
                return Answer(await ShareAsync(reporter, partner, flow!, hs, shareYears, basis, missing, notes, cancellationToken), shareYears);
            case "tradeValue" or "tradeTurnover" when months is { } span:
                return Answer(await MonthsValueAsync(claim, reporter, partner, claim.Indicator == "tradeTurnover" ? ["X", "M"] : [flow!], hs, span, basis, missing, notes, cancellationToken),
                    (span.Year, span.Year));
            case "tradeValue" or "tradeTurnover":
                if (years is not { } valueYears)
                {
                    await ExplainMissingReporterDataAsync(missing, notes, reporter, partner, flow!, hs, null, cancellationToken);
                    return Answer(null, null);
                }
                return Answer(await ValueAsync(claim, reporter, partner, claim.Indicator == "tradeTurnover" ? ["X", "M"] : [flow!], hs, valueYears, basis, missing, cancellationToken), valueYears);
            case "supplierRank" or "destinationRank":
                if (years is not { } rankYears)
                {
                    await ExplainMissingReporterDataAsync(missing, notes, reporter, partner, flow!, hs, null, cancellationToken);
                    return Answer(null, null);
                }
                return Answer(await RankAsync(reporter, partner, flow!, hs, rankYears, basis, missing, cancellationToken), rankYears);
            default:
                missing.Add($"The indicator '{claim.Indicator}' is not recomputed from trade data.");
                return Answer(null, years);
        }
    }

    private async Task<ClaimObservation?> ShareAsync(string reporter, string partner, string flow, string hs, (int From, int To) years, string basis,
        List<string> missing, List<string> notes, CancellationToken cancellationToken)
    {
        var share = await trade.PartnerShareAsync(reporter, partner, flow, hs, years, basis, cancellationToken);
        var rows = await trade.PartnerShareRowsAsync(reporter, partner, flow, hs, years, cancellationToken);
        if (share.Years.Count == 0)
        {
            await ExplainMissingReporterDataAsync(missing, notes, reporter, partner, flow, hs, years, cancellationToken);
            return new ClaimObservation(null, "percent", null, null, null, []);
        }
        decimal numerator = 0, denominator = 0;
        foreach (var year in Enumerable.Range(years.From, years.To - years.From + 1))
        {
            var y = share.Years.FirstOrDefault(s => s.Year == year);
            if (y?.Numerator is null)
            {
                missing.Add($"{reporter}'s {Flow(flow)} of HS {hs} from {partner} in {year} ({(y is null || y.PartnerFigure.Rows == 0 ? "no record" : "a record without the " + basis)}).");
            }
            if (y?.Denominator is null)
            {
                missing.Add($"{reporter}'s total {Flow(flow)} of HS {hs} in {year}: neither a World (WLD) row nor partner rows give it on the {basis} basis.");
            }
            numerator += y?.Numerator ?? 0;
            denominator += y?.Denominator ?? 0;
        }
        var bases = share.Years.Select(y => y.DenominatorBasis).OfType<string>().Distinct().ToList();
        var denominatorBasis = bases.Count == 1 ? bases[0] : bases.Count > 1 ? "mixed" : null;
        var worldYears = share.Years.Where(y => y.DenominatorBasis == "reportedWorldTotal").Select(y => y.Year).ToHashSet();
        var used = rows.Select(r => ToCheckRow(r, r.Partner == partner ? "numerator"
            : r.Partner == "WLD" ? "denominator"
            : worldYears.Contains((int)r.Year) ? "context" : "denominator")).ToList();
        // With sums over partners, the partner's own rows are in the denominator too; they are listed once, as numerator.
        if (missing.Count > 0)
        {
            return new ClaimObservation(null, "percent", null, null, denominatorBasis, used);
        }
        if (denominatorBasis == "sumOverPartners")
        {
            notes.Add("No World (WLD) total is reported, so the denominator is the sum over the partners the reporter reports; the share is an upper bound if partners are missing.");
        }
        return new ClaimObservation(TradeAnalyticsRepository.Percent(numerator, denominator), "percent", numerator, denominator, denominatorBasis, used);
    }

    private async Task<ClaimObservation?> ValueAsync(ClaimResponse claim, string reporter, string partner, string[] flows, string hs, (int From, int To) years, string basis,
        List<string> missing, CancellationToken cancellationToken)
    {
        decimal total = 0;
        var used = new List<ClaimCheckRow>();
        foreach (var flow in flows)
        {
            var share = await trade.PartnerShareAsync(reporter, partner, flow, hs, years, basis, cancellationToken);
            var rows = await trade.PartnerShareRowsAsync(reporter, partner, flow, hs, years, cancellationToken);
            used.AddRange(rows.Where(r => r.Partner == partner).Select(r => ToCheckRow(r, "numerator")));
            foreach (var year in Enumerable.Range(years.From, years.To - years.From + 1))
            {
                if (share.Years.FirstOrDefault(s => s.Year == year)?.Numerator is { } n)
                {
                    total += n;
                }
                else
                {
                    missing.Add($"{reporter}'s {Flow(flow)} of HS {hs} with {partner} in {year} on the {basis} basis.");
                }
            }
        }
        if (missing.Count > 0)
        {
            return new ClaimObservation(null, claim.Unit, null, null, null, used);
        }
        var inUnit = claim.Unit == "tonnes" ? total / 1000m : total;
        return new ClaimObservation(inUnit, claim.Unit, total, null, null, used);
    }

    /// <summary>
    /// A value over whole months of one year: the sum of the reporter's monthly rows (all transport modes, the
    /// exact HS code), only when every month of the span is reported with the figure on the basis asked.
    /// </summary>
    private async Task<ClaimObservation?> MonthsValueAsync(ClaimResponse claim, string reporter, string partner, string[] flows, string hs,
        (int Year, int From, int To) span, string basis, List<string> missing, List<string> notes, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        decimal total = 0;
        var used = new List<ClaimCheckRow>();
        foreach (var flow in flows)
        {
            var rows = (await connection.QueryAsync<TradeRowUsed>(new CommandDefinition(MonthRows,
                new { reporter, partner, flow, hs, year = span.Year, monthFrom = span.From, monthTo = span.To }, cancellationToken: cancellationToken))).AsList();
            used.AddRange(rows.Select(r => ToCheckRow(r, "numerator")));
            var absent = Enumerable.Range(span.From, span.To - span.From + 1)
                .Where(m => rows.FirstOrDefault(r => r.Month == m) is not { } row || (basis == "weight" ? row.NetWeightKg is null : row.ValueUsdCents is null))
                .Select(m => $"{span.Year}-{m:00}").ToList();
            if (absent.Count > 0)
            {
                missing.Add($"{reporter}'s monthly {Flow(flow)} of HS {hs} with {partner} on the {basis} basis for {string.Join(", ", absent)}.");
                continue;
            }
            total += basis == "weight" ? rows.Sum(r => (decimal)r.NetWeightKg!.Value) : rows.Sum(r => r.ValueUsdCents!.Value) / 100m;
        }
        if (missing.Count > 0)
        {
            return new ClaimObservation(null, claim.Unit, null, null, null, used);
        }
        notes.Add($"The claim covers {span.Year}-{span.From:00}..{span.Year}-{span.To:00}: the sum of the monthly records of those months.");
        var inUnit = claim.Unit == "tonnes" ? total / 1000m : total;
        return new ClaimObservation(inUnit, claim.Unit, total, null, null, used);
    }

    /// <summary>Year and first and last month when the period is whole months of one calendar year (e.g. 2023-01-01..2023-11-30).</summary>
    private static (int Year, int From, int To)? WholeMonthsOfOneYear(string start, string end)
    {
        if (!DateOnly.TryParseExact(start, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var first)
            || !DateOnly.TryParseExact(end, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var last)
            || first.Year != last.Year || first.Day != 1 || last.AddDays(1).Day != 1)
        {
            return null;
        }
        return (first.Year, first.Month, last.Month);
    }

    private async Task<ClaimObservation?> RankAsync(string reporter, string partner, string flow, string hs, (int From, int To) years, string basis,
        List<string> missing, CancellationToken cancellationToken)
    {
        var top = await trade.TopPartnersAsync(reporter, flow, hs, years, basis, 100, cancellationToken);
        var entry = top.Items.FirstOrDefault(i => i.Code == partner);
        if (entry is null || top.Items.Any(i => i.Figure.ValueUsd is null && basis == "value"))
        {
            missing.Add($"{reporter}'s {Flow(flow)} of HS {hs} by partner for {years.From}..{years.To}, complete on the {basis} basis, including {partner}.");
            return null;
        }
        return new ClaimObservation(entry.Rank, "rank", entry.Figure.ValueUsd, top.SumOverPartners?.ValueUsd, "sumOverPartners", []);
    }

    private async Task ExplainMissingReporterDataAsync(List<string> missing, List<string> notes, string reporter, string partner, string flow, string hs,
        (int From, int To)? years, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var own = await connection.QuerySingleAsync<CoverageRow>(new CommandDefinition(ReporterCoverage, new { reporter, flow, hs }, cancellationToken: cancellationToken));
        var span = years is { } y ? (y.From == y.To ? $"in {y.From}" : $"in {y.From}..{y.To}") : "in any year";
        missing.Add(own.Rows == 0
            ? $"Trade records reported by {reporter} for its {Flow(flow)} of HS {hs} (none are stored {span}): both the partner's figure and the total it is a share of."
            : $"Trade records reported by {reporter} for its {Flow(flow)} of HS {hs} {span} (stored years: {own.FirstYear}..{own.LastYear}).");
        var mirrorFlow = flow == "M" ? "X" : flow == "X" ? "M" : null;
        if (mirrorFlow is not null)
        {
            var mirror = await connection.QuerySingleAsync<CoverageRow>(new CommandDefinition(MirrorCoverage, new { reporter, partner, mirrorFlow, hs }, cancellationToken: cancellationToken));
            if (mirror.Rows > 0)
            {
                notes.Add($"{partner} reports {Flow(mirrorFlow)} of HS {hs} to {reporter} ({mirror.Rows} record(s), {mirror.FirstYear}..{mirror.LastYear}; see /v1/trade/mirror). " +
                    $"A mirror figure could stand in for the numerator, but a share also needs {reporter}'s total {Flow(flow)}, which no record gives, so no share is computed.");
            }
        }
    }

    private async Task<int?> LatestYearAsync(string reporter, string flow, string hs, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var coverage = await connection.QuerySingleAsync<CoverageRow>(new CommandDefinition(ReporterCoverage, new { reporter, flow, hs }, cancellationToken: cancellationToken));
        return coverage.Rows == 0 ? null : (int?)coverage.LastYear;
    }

    private static (int From, int To) Years((string Start, string End) bounds) =>
        (int.Parse(bounds.Start[..4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(bounds.End[..4], System.Globalization.CultureInfo.InvariantCulture));

    private static string Flow(string flow) => flow switch { "M" => "imports", "X" => "exports", "RM" => "re-imports", "RX" => "re-exports", _ => flow };

    private static ClaimCheckRow ToCheckRow(TradeRowUsed r, string role) =>
        new(r.Id, r.Reporter, r.Partner, (int)r.Year, r.Month is null ? null : (int)r.Month, r.Flow, r.Hs,
            r.ValueUsdCents is null ? null : r.ValueUsdCents.Value / 100m, r.NetWeightKg, r.SourceId, role);

    /// <summary>The acceptance interval of a claimed value (or range) under its qualifier.</summary>
    public static ClaimTolerance Tolerance(decimal value, decimal? valueTo, string? qualifier)
    {
        var high = valueTo ?? value;
        var halfUnit = 0.5m / Pow10(Math.Max(Scale(value), valueTo is { } to ? Scale(to) : 0));
        return qualifier switch
        {
            "about" => new("about: ±10% of the claimed value", value - (value * 0.1m), high + (high * 0.1m), true, true),
            "atLeast" => new("atLeast: not below the claimed value", value, null, true, true),
            "moreThan" => new("moreThan: above the claimed value", value, null, false, true),
            "atMost" => new("atMost: not above the claimed value", null, high, true, true),
            "lessThan" => new("lessThan: below the claimed value", null, high, true, false),
            _ => new("exact: ± half a unit of the last stated digit", value - halfUnit, high + halfUnit, true, true),
        };
    }

    public static bool Within(decimal observed, ClaimTolerance t) =>
        (t.Low is not { } low || (t.LowInclusive ? observed >= low : observed > low)) &&
        (t.High is not { } high || (t.HighInclusive ? observed <= high : observed < high));

    private static int Scale(decimal d) => (decimal.GetBits(d)[3] >> 16) & 0xFF;

    private static decimal Pow10(int n)
    {
        var result = 1m;
        for (var i = 0; i < n; i++)
        {
            result *= 10;
        }
        return result;
    }

    private sealed class CoverageRow
    {
        public long Rows { get; set; }
        public long? FirstYear { get; set; }
        public long? LastYear { get; set; }
    }
}

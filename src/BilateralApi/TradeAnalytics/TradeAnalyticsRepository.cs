using System.Globalization;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.TradeAnalytics;

/// <summary>One group of an aggregate statement (<see cref="TradeAnalyticsSql.Aggregates"/> plus its keys).</summary>
public sealed class TradeAggregateRow
{
    public long Year { get; set; }
    public string? Reporter { get; set; }
    public string? Partner { get; set; }
    public string? Flow { get; set; }
    public string? Hs { get; set; }
    public string? Part { get; set; }
    public string? Description { get; set; }
    public string? ValueBases { get; set; }
    public long Partners { get; set; }
    public long Rows { get; set; }
    public long MonthlyRows { get; set; }
    public long? ValueCents { get; set; }
    public long RowsWithoutValue { get; set; }
    public double? WeightKg { get; set; }
    public long RowsWithoutWeight { get; set; }

    public TradeFigure ToFigure() => new(Value, Weight, (int)Rows, (int)MonthlyRows, (int)RowsWithoutValue, (int)RowsWithoutWeight);

    /// <summary>Exact dollars, or null when no row or any row lacks a value.</summary>
    public decimal? Value => Rows == 0 || RowsWithoutValue > 0 || ValueCents is null ? null : ValueCents.Value / 100m;

    public double? Weight => Rows == 0 || RowsWithoutWeight > 0 ? null : WeightKg;

    /// <summary>The figure on a basis, as a decimal (weights converted from the stored REAL sum).</summary>
    public decimal? On(string basis) => basis == "weight" ? (Weight is { } w ? (decimal)w : null) : Value;
}

/// <summary>A stored trade record used by a computation (for claim checks).</summary>
public sealed class TradeRowUsed
{
    public long Id { get; set; }
    public string Reporter { get; set; } = "";
    public string Partner { get; set; } = "";
    public long Year { get; set; }
    public long? Month { get; set; }
    public string Flow { get; set; } = "";
    public string Hs { get; set; } = "";
    public long? ValueUsdCents { get; set; }
    public double? NetWeightKg { get; set; }
    public string SourceId { get; set; } = "";
}

public sealed class TradeAnalyticsRepository(SqliteConnectionFactory connections)
{
    public const string MirrorCaveat =
        "Mirror figures rarely agree. Imports are usually valued CIF (including cost, insurance and freight to the border) and exports FOB " +
        "(free on board at the exporter's border), so an importer's figure normally exceeds the exporter's by transport and insurance costs; " +
        "goods shipped via third countries, the timing of shipments across year ends, confidential or unallocated trade, and different HS " +
        "classification also open gaps. A gap is a reason to look closer, not proof that either report is wrong.";

    public async Task<TradeBalanceResponse> BalanceAsync(string a, string b, string hs, (int From, int To) years, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(TradeAnalyticsSql.Balance, new { a, b, hs, yearFrom = years.From, yearTo = years.To }, cancellationToken);
        return new TradeBalanceResponse(a, b, hs, BalanceYears(rows, a, b));
    }

    /// <summary>Per year, each direction from its reporter's own report, else from the mirror.</summary>
    public static List<BalanceYear> BalanceYears(IReadOnlyList<TradeAggregateRow> rows, string a, string b)
    {
        var result = new List<BalanceYear>();
        foreach (var year in rows.GroupBy(r => r.Year).OrderBy(g => g.Key))
        {
            TradeAggregateRow? Find(string reporter, string flow) => year.FirstOrDefault(r => r.Reporter == reporter && r.Flow == flow);
            var exports = Choose(Find(a, "X"), a, Find(b, "M"), b);
            var imports = Choose(Find(a, "M"), a, Find(b, "X"), b);
            decimal? balance = exports.Figure?.ValueUsd is { } x && imports.Figure?.ValueUsd is { } m ? x - m : null;
            result.Add(new BalanceYear((int)year.Key, exports, imports, balance));
        }
        return result;
    }

    private static BalanceFlow Choose(TradeAggregateRow? own, string ownReporter, TradeAggregateRow? mirror, string mirrorReporter) =>
        own is not null ? new BalanceFlow("reporter", ownReporter, own.ToFigure())
        : mirror is not null ? new BalanceFlow("mirror", mirrorReporter, mirror.ToFigure())
        : new BalanceFlow(null, null, null);

    public async Task<PartnerShareResponse> PartnerShareAsync(string reporter, string partner, string flow, string hs, (int From, int To) years, string basis, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(TradeAnalyticsSql.PartnerShare, new { reporter, partner, flow, hs, yearFrom = years.From, yearTo = years.To }, cancellationToken);
        var result = rows.GroupBy(r => r.Year).OrderBy(g => g.Key).Select(g => ShareOf((int)g.Key, g.ToList(), basis)).ToList();
        return new PartnerShareResponse(reporter, partner, flow, hs, basis, result);
    }

    /// <summary>
    /// The share for one year from its three groups: the partner's rows, the World row, the other partners' rows.
    /// The denominator is the reported World total when it is known on the basis, else the sum over partners.
    /// </summary>
    public static PartnerShareYear ShareOf(int year, IReadOnlyList<TradeAggregateRow> groups, string basis)
    {
        var empty = new TradeAggregateRow();
        var own = groups.FirstOrDefault(r => r.Part == "partner") ?? empty;
        var world = groups.FirstOrDefault(r => r.Part == "world");
        var others = groups.FirstOrDefault(r => r.Part == "others") ?? empty;
        var numerator = own.On(basis);
        var partners = (int)(own.Partners + others.Partners);
        decimal? sumOverPartners = partners == 0 ? null
            : (own.Rows == 0 ? 0m : own.On(basis)) is { } p && (others.Rows == 0 ? 0m : others.On(basis)) is { } o ? p + o : null;
        decimal? denominator;
        string? denominatorBasis;
        decimal? coverage = null;
        if (world?.On(basis) is { } worldTotal)
        {
            denominator = worldTotal;
            denominatorBasis = "reportedWorldTotal";
            coverage = Percent(sumOverPartners, worldTotal);
        }
        else
        {
            denominator = sumOverPartners;
            denominatorBasis = sumOverPartners is null ? null : "sumOverPartners";
        }
        return new PartnerShareYear(year, numerator, denominator, Percent(numerator, denominator), denominatorBasis,
            partners, sumOverPartners, coverage, own.ToFigure(), world?.ToFigure());
    }

    /// <summary>part ÷ whole × 100, rounded to 4 decimals; null when either is unknown or the whole is 0.</summary>
    public static decimal? Percent(decimal? part, decimal? whole) =>
        part is { } p && whole is { } w && w != 0 ? Math.Round(p * 100m / w, 4) : null;

    public async Task<List<TradeRowUsed>> PartnerShareRowsAsync(string reporter, string partner, string flow, string hs, (int From, int To) years, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TradeRowUsed>(new CommandDefinition(TradeAnalyticsSql.PartnerShareRows,
            new { reporter, partner, flow, hs, yearFrom = years.From, yearTo = years.To }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<TopPartnersResponse> TopPartnersAsync(string reporter, string flow, string hs, (int From, int To) years, string basis, int limit, CancellationToken cancellationToken)
    {
        var parameters = new { reporter, flow, hs, yearFrom = years.From, yearTo = years.To, limit };
        var ranked = await QueryAsync(string.Format(CultureInfo.InvariantCulture, TradeAnalyticsSql.TopPartners, RankBy(basis)), parameters, cancellationToken);
        var totals = await QueryAsync(TradeAnalyticsSql.TopPartnersTotals, parameters, cancellationToken);
        var others = totals.FirstOrDefault(t => t.Part == "others");
        var world = totals.FirstOrDefault(t => t.Part == "world");
        var items = ranked.Select((r, i) => new RankedFigure(i + 1, r.Partner!, null, r.ToFigure(), Percent(r.On(basis), others?.On(basis)))).ToList();
        return new TopPartnersResponse(reporter, flow, hs, years.From, years.To, basis, "sumOverPartners", others?.ToFigure(), world?.ToFigure(), items);
    }

    public async Task<TopCommoditiesResponse> TopCommoditiesAsync(string reporter, string partner, string flow, string level, (int From, int To) years, string basis, int limit, CancellationToken cancellationToken)
    {
        var digits = level switch { "heading" => 4, "subheading" => 6, _ => 2 };
        var parameters = new { reporter, partner, flow, digits, yearFrom = years.From, yearTo = years.To, limit };
        var ranked = await QueryAsync(string.Format(CultureInfo.InvariantCulture, TradeAnalyticsSql.TopCommodities, RankBy(basis)), parameters, cancellationToken);
        var total = (await QueryAsync(TradeAnalyticsSql.TopCommoditiesTotal, parameters, cancellationToken)).FirstOrDefault();
        var totalFigure = total is { Rows: > 0 } ? total : null;
        var items = ranked.Select((r, i) => new RankedFigure(i + 1, r.Hs!, r.Description, r.ToFigure(), Percent(r.On(basis), totalFigure?.On(basis)))).ToList();
        return new TopCommoditiesResponse(reporter, partner, flow, years.From, years.To, level, basis, totalFigure?.ToFigure(), items);
    }

    public async Task<TradeMirrorResponse> MirrorAsync(string reporter, string partner, string flow, string hs, (int From, int To) years, CancellationToken cancellationToken)
    {
        var mirrorFlow = flow == "X" ? "M" : "X";
        var rows = await QueryAsync(TradeAnalyticsSql.Mirror, new { reporter, partner, flow, mirrorFlow, hs, yearFrom = years.From, yearTo = years.To }, cancellationToken);
        var result = new List<MirrorYear>();
        foreach (var year in rows.GroupBy(r => r.Year).OrderBy(g => g.Key))
        {
            var reported = year.FirstOrDefault(r => r.Reporter == reporter);
            var mirror = year.FirstOrDefault(r => r.Reporter == partner);
            decimal? gap = reported?.Value is { } x && mirror?.Value is { } m ? x - m : null;
            result.Add(new MirrorYear((int)year.Key, Side(reporter, flow, reported), Side(partner, mirrorFlow, mirror), gap, Percent(gap, mirror?.Value)));
        }
        return new TradeMirrorResponse(reporter, partner, flow, hs, MirrorCaveat, result);
    }

    private static MirrorSide Side(string reportedBy, string flow, TradeAggregateRow? row) =>
        new(reportedBy, flow, row?.ValueBases?.Split(',').Order(StringComparer.Ordinal).ToList() ?? [], row?.ToFigure());

    /// <summary>Runs a summary statement built by the endpoint from whitelisted dimensions; rows come back as column → value.</summary>
    public async Task<List<IDictionary<string, object?>>> SummaryAsync(string sql, SqlConditions where, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(new CommandDefinition(sql, where.Parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (IDictionary<string, object?>)r)];
    }

    public async Task<List<TradeAggregateRow>> QueryAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TradeAggregateRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }

    private static string RankBy(string basis) => basis == "weight" ? TradeAnalyticsSql.ByWeight : TradeAnalyticsSql.ByValue;
}

using BilateralApi.Tests.Infrastructure;
using Dapper;

namespace BilateralApi.Tests.TradeAnalytics;

/// <summary>A generated trade record, and the independent in-memory model the analytics are checked against.</summary>
public sealed record Row(long Id, string Reporter, string Partner, int Year, int? Month, string Flow, string Hs, int TransportMode, long? Cents, long? Kg, string Basis);

public static class GeneratedTrade
{
    public const string Source = "generated-trade-source";

    /// <summary>
    /// Random rows over the given reporters: annual rows, monthly rows (some in years that also have an
    /// annual row, which the analytics must ignore), other transport modes (ignored too), World rows
    /// and missing values and weights.
    /// </summary>
    public static List<Row> Generate(int seed, string[] reporters, string[] partners, int[] years)
    {
        var random = new Random(seed);
        var rows = new List<Row>();
        long id = 0;
        foreach (var reporter in reporters)
        {
            foreach (var partner in partners.Append("WLD").Where(p => p != reporter))
            {
                foreach (var year in years)
                {
                    foreach (var flow in new[] { "X", "M" })
                    {
                        foreach (var hs in new[] { "TOTAL", "27", "2709", "10", "93" })
                        {
                            var annual = random.NextDouble() < 0.6;
                            if (annual)
                            {
                                rows.Add(Make(++id, reporter, partner, year, null, flow, hs, 0, random));
                            }
                            if (random.NextDouble() < 0.35)
                            {
                                foreach (var month in Enumerable.Range(1, 12).Where(_ => random.NextDouble() < 0.4))
                                {
                                    rows.Add(Make(++id, reporter, partner, year, month, flow, hs, 0, random));
                                }
                            }
                            if (random.NextDouble() < 0.15)
                            {
                                rows.Add(Make(++id, reporter, partner, year, null, flow, hs, 2100, random));
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static Row Make(long id, string reporter, string partner, int year, int? month, string flow, string hs, int mode, Random random) =>
        new(id, reporter, partner, year, month, flow, hs, mode,
            random.NextDouble() < 0.05 ? null : random.NextInt64(0, 500_000_000_000),
            random.NextDouble() < 0.05 ? null : random.NextInt64(0, 2_000_000_000),
            flow == "M" ? "CIF" : "FOB");

    /// <summary>Inserts the rows straight into the test's own database (ids are assigned by the store; the model keeps its own).</summary>
    public static async Task InsertAsync(HttpClient client, ApiFactory factory, IEnumerable<Row> rows)
    {
        await client.EnsureSourceAsync(Source);
        await using var connection = await factory.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO trade_record (reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg,
                value_basis, estimated, source_id, created_at, updated_at, version)
            VALUES (@Reporter, @Partner, @Year, @Month, @Flow, @Hs, @TransportMode, @Cents, @Kg, @Basis, 0, @Source, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1)
            """,
            rows.Select(r => new { r.Reporter, r.Partner, r.Year, r.Month, r.Flow, r.Hs, r.TransportMode, r.Cents, Kg = r.Kg is null ? null : (double?)r.Kg, r.Basis, Source }),
            transaction);
        await transaction.CommitAsync();
    }

    /// <summary>The counted rows, computed independently: mode 0; monthly rows only in years without an annual row of the same key.</summary>
    public static List<Row> Counted(IReadOnlyList<Row> rows)
    {
        var annual = rows.Where(r => r.Month is null && r.TransportMode == 0).Select(r => (r.Reporter, r.Partner, r.Year, r.Flow, r.Hs)).ToHashSet();
        return [.. rows.Where(r => r.TransportMode == 0 && (r.Month is null || !annual.Contains((r.Reporter, r.Partner, r.Year, r.Flow, r.Hs))))];
    }

    /// <summary>Exact dollars of a group, or null when empty or any row lacks a value.</summary>
    public static decimal? Value(IEnumerable<Row> rows)
    {
        var list = rows.ToList();
        return list.Count == 0 || list.Any(r => r.Cents is null) ? null : list.Sum(r => (decimal)r.Cents!.Value) / 100m;
    }

    public static double? Weight(IEnumerable<Row> rows)
    {
        var list = rows.ToList();
        return list.Count == 0 || list.Any(r => r.Kg is null) ? null : list.Sum(r => r.Kg!.Value);
    }

    public static decimal? On(string basis, IEnumerable<Row> rows) => basis == "weight" ? (Weight(rows) is { } w ? (decimal)w : null) : Value(rows);

    public static decimal? Percent(decimal? part, decimal? whole) => part is { } p && whole is { } w && w != 0 ? Math.Round(p * 100m / w, 4) : null;
}

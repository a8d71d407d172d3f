using System.Diagnostics;
using System.Globalization;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Import;
using BilateralApi.TradeRecords;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;

namespace BilateralApi.Benchmarks;

/// <summary>
/// The import path (CSV parse, validation, prepared upsert-aware insert in one transaction) against the
/// engine's limit: the same rows, already parsed in memory, inserted by one prepared INSERT in one
/// transaction into a copy of the same database (same schema, indexes and connection settings).
/// </summary>
public static class ImportBenchmark
{
    public const string SourceId = "benchmark-comtrade";

    /// <summary>A migrated database with reference data and the benchmark's source, no seed.</summary>
    public static async Task CreateTemplateAsync(string path)
    {
        File.Delete(path);
        await using var app = Program.Build(["--Database:Path=" + path, "--Database:Seed=false", "--Logging:LogLevel:Default=Warning"]);
        await Program.InitializeAsync(app.Services, CancellationToken.None);
        await using var connection = await app.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO source (id, type, publisher, title, reliability, created_at, updated_at, version)
            VALUES ('benchmark-comtrade', 'statisticalDatabase', 'UN Comtrade', 'Generated benchmark extract', 'A', '2026-11-28T00:00:00.000+00:00', '2026-11-28T00:00:00.000+00:00', 1)
            """;
        await command.ExecuteNonQueryAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync();
        SqliteConnection.ClearAllPools();
    }

    public sealed record Result(long Rows, double Seconds, long PeakWorkingSetBytes)
    {
        public double RowsPerSecond => Rows / Seconds;
    }

    public static async Task<Result> ImportAsync(string dbPath, string csvPath)
    {
        await using var app = Program.Build(["--Database:Path=" + dbPath, "--Database:Seed=false", "--Logging:LogLevel:Default=Warning"]);
        await Program.InitializeAsync(app.Services, CancellationToken.None);
        var importer = app.Services.GetRequiredService<TradeRecordImporter>();
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        await using var file = new FileStream(csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var report = await importer.ImportAsync(file, ImportFormat.Csv, new ImportOptions(ImportMode.Insert, true, false, SourceId), null, CancellationToken.None);
        clock.Stop();
        process.Refresh();
        if (!report.Committed || report.Inserted != report.Rows)
        {
            throw new InvalidOperationException($"The import did not store every row: {report.Inserted} of {report.Rows}, first rejection: {(report.RejectedRows.Count > 0 ? report.RejectedRows[0] : null)}");
        }
        SqliteConnection.ClearAllPools();
        return new Result(report.Inserted, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64);
    }

    private sealed record Row(string Reporter, string Partner, long Year, string Flow, string Hs, long? Cents, double? Weight, double? Qty);

    public static async Task<Result> BaselineAsync(string dbPath, string csvPath)
    {
        // Parsed before the clock starts: the baseline measures only what the engine needs to store the rows.
        var rows = new List<Row>();
        using (var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(csvPath))
        {
            foreach (var r in reader)
            {
                var partner = r["partnerISO"].ToString();
                rows.Add(new Row(r["reporterISO"].ToString(), partner == "W00" ? "WLD" : partner, r["period"].Parse<long>(), r["flowCode"].ToString(), r["cmdCode"].ToString(),
                    (long)Math.Round(decimal.Parse(r["primaryValue"].Span, CultureInfo.InvariantCulture) * 100), r["netWgt"].Parse<double>(), r["qty"].Parse<double>()));
            }
        }
        await using var connection = new SqliteConnection(SqliteDialect.ConnectionString(dbPath));
        await connection.OpenAsync();
        await using (var pragmas = connection.CreateCommand())
        {
            // The same page cache the import gives its connection (ImportCache), so the ratio compares
            // the import's own work, not cache sizes.
            pragmas.CommandText = SqliteDialect.ConnectionPragmas + $" PRAGMA cache_size = -{ImportCache.CacheKiB};";
            await pragmas.ExecuteNonQueryAsync();
        }
        GC.Collect();
        var clock = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO trade_record (reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg,
                    quantity, quantity_unit, value_basis, estimated, source_id, created_at, updated_at, version)
                VALUES ($r, $p, $y, NULL, $f, $h, 0, $v, $w, $q, 'kg', 'unknown', 0, 'benchmark-comtrade', $t, $t, 1)
                """;
            var p = new[] { "$r", "$p", "$y", "$f", "$h", "$v", "$w", "$q" }.Select(n => insert.Parameters.Add(new SqliteParameter(n, DBNull.Value))).ToArray();
            insert.Parameters.AddWithValue("$t", "2026-11-28T00:00:00.000+00:00");
            insert.Prepare();
            foreach (var row in rows)
            {
                p[0].Value = row.Reporter;
                p[1].Value = row.Partner;
                p[2].Value = row.Year;
                p[3].Value = row.Flow;
                p[4].Value = row.Hs;
                p[5].Value = (object?)row.Cents ?? DBNull.Value;
                p[6].Value = (object?)row.Weight ?? DBNull.Value;
                p[7].Value = (object?)row.Qty ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        clock.Stop();
        using var process = Process.GetCurrentProcess();
        SqliteConnection.ClearAllPools();
        return new Result(rows.Count, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64);
    }
}

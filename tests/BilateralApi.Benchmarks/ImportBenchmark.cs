using System.Diagnostics;
using System.Globalization;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Import;
using BilateralApi.TradeRecords;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;

namespace BilateralApi.Benchmarks;

/// <summary>
/// The import path (parse, validation, prepared insert, change log, indexes, in one transaction) against
/// the engine's limit as issue 10 defines it: the same rows, already parsed in memory, inserted by one
/// prepared INSERT in one transaction into a table with the same columns and no secondary index, alone in
/// a database file of its own (so that file's size is the raw table's size).
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
        await Checkpoint(connection);
        SqliteConnection.ClearAllPools();
    }

    private static async Task Checkpoint(SqliteConnection connection)
    {
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync();
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
        await using (var connection = new SqliteConnection(SqliteDialect.ConnectionString(dbPath)))
        {
            await connection.OpenAsync();
            await Checkpoint(connection);
        }
        SqliteConnection.ClearAllPools();
        return new Result(report.Inserted, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64);
    }

    /// <summary>Every column of a trade_record row as the import stores it (the id aside: the table assigns it).</summary>
    public sealed record Row(string Reporter, string Partner, long Year, string Flow, string Hs, long? Cents, double? Weight, double? Qty,
        string? QtyUnit, string ValueBasis, long Estimated, string Classification, string Origin);

    /// <summary>The rows of the generated Comtrade+ CSV, parsed as the import reads them.</summary>
    public static List<Row> ParseComtrade(string csvPath)
    {
        var rows = new List<Row>();
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(csvPath);
        foreach (var r in reader)
        {
            var partner = r["partnerISO"].ToString();
            rows.Add(new Row(r["reporterISO"].ToString(), partner == "W00" ? "WLD" : partner, r["period"].Parse<long>(), r["flowCode"].ToString(), r["cmdCode"].ToString(),
                (long)Math.Round(decimal.Parse(r["primaryValue"].Span, CultureInfo.InvariantCulture) * 100), r["netWgt"].Parse<double>(), r["qty"].Parse<double>(),
                "kg", "unknown", 0, "HS", "reported"));
        }
        return rows;
    }

    /// <summary>The rows of a generated BACI file (thousands of USD, metric tons, BACI's country codes), as the import stores them.</summary>
    public static List<Row> ParseBaci(string csvPath, IReadOnlyDictionary<string, string> alpha3ByCode)
    {
        var rows = new List<Row>();
        using var reader = Sep.Reader().FromFile(csvPath);
        foreach (var r in reader)
        {
            var v = r["v"].Span;
            var q = r["q"].Span;
            rows.Add(new Row(alpha3ByCode[r["i"].ToString()], alpha3ByCode[r["j"].ToString()], r["t"].Parse<long>(), "X", r["k"].ToString(),
                v.SequenceEqual("NA") ? null : (long)Math.Round(decimal.Parse(v, CultureInfo.InvariantCulture) * 100_000),
                q.SequenceEqual("NA") ? null : (double)(decimal.Parse(q, CultureInfo.InvariantCulture) * 1000),
                null, q.SequenceEqual("NA") ? null : "kg", "FOB", 1, "HS", "reconciled"));
        }
        return rows;
    }

    /// <summary>The reference: <paramref name="rows"/> (parsed before the clock starts) inserted into a bare copy of the table in a new file.</summary>
    public static async Task<Result> BaselineAsync(string dbPath, List<Row> rows)
    {
        File.Delete(dbPath);
        await using var connection = new SqliteConnection(SqliteDialect.ConnectionString(dbPath));
        await connection.OpenAsync();
        await using (var setup = connection.CreateCommand())
        {
            // The import's connection settings and page cache (ImportCache), so the ratio compares the
            // import's own work; the table has trade_record's columns and types, and no index but the rowid.
            setup.CommandText = SqliteDialect.DatabasePragmas + SqliteDialect.ConnectionPragmas + $" PRAGMA cache_size = -{ImportCache.CacheKiB};" + """
                CREATE TABLE trade_record (
                    id INTEGER PRIMARY KEY, reporter TEXT NOT NULL, partner TEXT NOT NULL, year INTEGER NOT NULL, month INTEGER NULL,
                    flow TEXT NOT NULL, hs TEXT NOT NULL, transport_mode INTEGER NOT NULL DEFAULT 0, value_usd_cents INTEGER NULL,
                    net_weight_kg REAL NULL, quantity REAL NULL, quantity_unit TEXT NULL, value_basis TEXT NOT NULL,
                    estimated INTEGER NOT NULL DEFAULT 0, source_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                    version INTEGER NOT NULL, classification TEXT NOT NULL, origin TEXT NOT NULL);
                """;
            await setup.ExecuteNonQueryAsync();
        }
        GC.Collect();
        var clock = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO trade_record (reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg,
                    quantity, quantity_unit, value_basis, estimated, source_id, created_at, updated_at, version, classification, origin)
                VALUES ($r, $p, $y, NULL, $f, $h, 0, $v, $w, $q, $u, $b, $e, 'benchmark-comtrade', $t, $t, 1, $c, $o)
                """;
            var p = new[] { "$r", "$p", "$y", "$f", "$h", "$v", "$w", "$q", "$u", "$b", "$e", "$c", "$o" }.Select(n => insert.Parameters.Add(new SqliteParameter(n, DBNull.Value))).ToArray();
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
                p[8].Value = (object?)row.QtyUnit ?? DBNull.Value;
                p[9].Value = row.ValueBasis;
                p[10].Value = row.Estimated;
                p[11].Value = row.Classification;
                p[12].Value = row.Origin;
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        clock.Stop();
        await Checkpoint(connection);
        using var process = Process.GetCurrentProcess();
        SqliteConnection.ClearAllPools();
        return new Result(rows.Count, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64);
    }
}

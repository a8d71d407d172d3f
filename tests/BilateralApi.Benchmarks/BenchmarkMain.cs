using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/BilateralApi.Benchmarks [-- --rows N --seconds S]` runs every
/// benchmark and prints one markdown table; each figure stands beside its reference measured in the
/// same run. `bare PORT` serves only the fixed-JSON reference (the start-up reference).
/// </summary>
public static class BenchmarkMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["bare", var port])
        {
            await using var bare = HttpBenchmark.Bare($"http://127.0.0.1:{port}", null);
            await bare.RunAsync();
            return 0;
        }
        if (args is ["bare-dapper", var barePort, var bareDb])
        {
            await using var bare = HttpBenchmark.Bare($"http://127.0.0.1:{barePort}", bareDb);
            await bare.RunAsync();
            return 0;
        }
        if (args is ["bare-npgsql", var pgPort, var pgConnection])
        {
            await using var bare = PostgresBench.Bare($"http://127.0.0.1:{pgPort}", pgConnection);
            await bare.RunAsync();
            return 0;
        }
        if (args is ["byid", ..])
        {
            var byIdWork = StringOption(args, "--work") ?? Path.Combine(Path.GetTempPath(), "bilateral-bench");
            Directory.CreateDirectory(byIdWork);
            var byIdDb = StringOption(args, "--db") ?? Path.Combine(byIdWork, "byid.db");
            if (!File.Exists(byIdDb))
            {
                await CreateImportedAsync(byIdDb, Option(args, "--rows", 300_000), byIdWork);
            }
            var published = StringOption(args, "--api") ?? throw new ArgumentException("byid needs --api DIR (a published build).");
            var target = StringOption(args, "--postgres") is { } postgres
                ? new OutOfProcessBenchmark.Target("PostgreSQL", postgres, "bare Kestrel + Npgsql + Dapper by id", "bare-npgsql", await PostgresBench.FillFromSqliteAsync(postgres, byIdDb))
                : new OutOfProcessBenchmark.Target("SQLite", byIdDb, "bare Kestrel + Dapper by id", "bare-dapper", (long)ReadBenchmarks.Scalar(byIdDb, "SELECT MAX(id) FROM trade_record"));
            return await OutOfProcessBenchmark.RunAsync(published, target, Option(args, "--seconds", 10), Option(args, "--rounds", 3), Option(args, "--warmup", 20), byIdWork);
        }
        if (args is ["walk", ..])
        {
            // Deep cursor pages on PostgreSQL: the walks of the full run, on the published API over PostgreSQL.
            var walkWork = StringOption(args, "--work") ?? Path.Combine(Path.GetTempPath(), "bilateral-bench");
            Directory.CreateDirectory(walkWork);
            var walkRows = Option(args, "--rows", 1_000_000);
            var walkDb = Path.Combine(walkWork, $"walk-{walkRows}.db");
            if (!File.Exists(walkDb))
            {
                await CreateImportedAsync(walkDb, walkRows, walkWork);
            }
            var postgres = StringOption(args, "--postgres") ?? throw new ArgumentException("walk needs --postgres CS (an existing, empty or filled, database).");
            var apiDir = StringOption(args, "--api") ?? throw new ArgumentException("walk needs --api DIR (a published build).");
            await PostgresBench.FillFromSqliteAsync(postgres, walkDb);
            return await PostgresBench.WalkAsync(Path.Combine(apiDir, "BilateralApi.dll"), postgres, ReadBenchmarks.BusyPair(walkDb).Reporter, Option(args, "--pages", 1000),
                walk => Console.WriteLine(WalkLine(walk, Option(args, "--pages", 1000))));
        }
        if (args is ["import", ..] or ["baci", ..])
        {
            var importWork = StringOption(args, "--work") ?? Path.Combine(Path.GetTempPath(), "bilateral-bench");
            Directory.CreateDirectory(importWork);
            return await ImportRun.RunAsync(args[0] == "baci", Option(args, "--rows", args[0] == "baci" ? 10_000_000 : 300_000), importWork, RepoRoot(), StringOption(args, "--api"), StringOption(args, "--postgres"));
        }
        if (args is ["dapper-export", var exportDb])
        {
            return ReadBenchmarks.DapperExport(exportDb);
        }
        if (args is ["connection-open", var openDb])
        {
            return await ConnectionBenchmark.RunAsync(openDb);
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("""
                dotnet run -c Release --project tests/BilateralApi.Benchmarks -- [options]
                  --rows N       generated trade rows (default 1000000)
                  --seconds S    HTTP load duration per target (default 8)
                  --pages N      deepest page reached by following next (default 1000)
                  --requests N   sequential requests per analytics endpoint (default 50; each also stops after 20 s)
                  --work DIR     working directory (default $TMP/bilateral-bench)
                  --db PATH      reuse an already imported database: skip generation and the import figures
                bare PORT            serve only the fixed-JSON reference
                bare-dapper PORT DB  serve the fixed-JSON and the Dapper by-id references on DB
                bare-npgsql PORT CS  serve the Npgsql + Dapper by-id reference on a PostgreSQL database
                byid --api DIR [--db PATH] [--rows N] [--seconds S] [--rounds R] [--warmup S] [--work DIR]
                                     by-id reads of the published build in DIR, out of process, against
                                     bare-dapper (DB is created with N generated rows when missing, default 300000)
                import [--rows N] [--api DIR] [--work DIR]
                                     Comtrade+ CSV import (default 300000 generated rows) against a plain prepared
                                     INSERT into a table with the same columns and no index; database bytes per row
                                     against that raw table; with --api, also the published CLI in DIR
                baci [--rows N] [--api DIR] [--work DIR]
                                     the same for a CEPII BACI-shaped file (default 10000000 rows)
                import|baci --postgres CS [--rows N] [--work DIR]
                                     the import on a new PostgreSQL database on CS's server (created and dropped;
                                     CS's user may create databases) against a binary COPY of the same parsed rows
                                     into a table with the same columns and no secondary index
                dapper-export DB     the export reference alone (prints rows, seconds, peak bytes, bytes)
                connection-open DB   what each request pays to open its connection, against a bare pooled open
                """);
            return 0;
        }
        var rows = Option(args, "--rows", 1_000_000);
        var seconds = Option(args, "--seconds", 8);
        var pages = Option(args, "--pages", 1000);
        var requests = Option(args, "--requests", 50);
        var root = RepoRoot();
        var work = StringOption(args, "--work") ?? Path.Combine(Path.GetTempPath(), "bilateral-bench");
        var reuse = StringOption(args, "--db");
        Directory.CreateDirectory(work);
        var table = new List<string>
        {
            "| benchmark | measured | reference (same run) | ratio | target |",
            "|---|---|---|---|---|",
        };
        void Line(string text)
        {
            table.Add(text);
            Console.Error.WriteLine(text);
        }

        string importDb;
        if (reuse is not null)
        {
            importDb = reuse;
            Line($"| import | not measured: --db reuses {reuse} | | | |");
        }
        else
        {
        Console.Error.WriteLine($"Generating {rows:N0} Comtrade-shaped rows ...");
        var (countries, commodities) = Generator.Reference(root);
        var csv = Path.Combine(work, "comtrade.csv");
        Generator.Write(csv, rows, countries, commodities);
        var template = Path.Combine(work, "template.db");
        await ImportBenchmark.CreateTemplateAsync(template);

        var baselineDb = Copy(template, Path.Combine(work, "baseline.db"));
        importDb = Copy(template, Path.Combine(work, "import.db"));
        Console.Error.WriteLine("Baseline: prepared INSERT of the parsed rows ...");
        var baseline = await ImportBenchmark.BaselineAsync(baselineDb, ImportBenchmark.ParseComtrade(csv));
        Console.Error.WriteLine("Import path: CSV -> validation -> prepared statement ...");
        var import = await ImportBenchmark.ImportAsync(importDb, csv);
        Line(string.Create(CultureInfo.InvariantCulture,
            $"| import {import.Rows:N0} CSV rows (POST /v1/trade-records/import code path) | {import.RowsPerSecond:N0} rows/s ({import.Seconds:F1} s) | plain prepared INSERT: {baseline.RowsPerSecond:N0} rows/s ({baseline.Seconds:F1} s) | {import.RowsPerSecond / baseline.RowsPerSecond:P0} | ≥ 50% |"));
        Line(string.Create(CultureInfo.InvariantCulture,
            $"| import peak working set (whole process) | {import.PeakWorkingSetBytes / 1048576.0:N0} MB | — | — | flat in file size |"));
        }

        // HTTP reads over the imported database.
        var duration = TimeSpan.FromSeconds(seconds);
        await using (var api = HttpBenchmark.Api("http://127.0.0.1:5301", importDb))
        await using (var bare = HttpBenchmark.Bare("http://127.0.0.1:5302", importDb))
        {
            await Program.InitializeAsync(api.Services, CancellationToken.None);
            await api.StartAsync();
            await bare.StartAsync();
            var maxId = (int)ReadBenchmarks.Scalar(importDb, "SELECT MAX(id) FROM trade_record");
            var fixedJson = await HttpBenchmark.LoadAsync("fixed", _ => "http://127.0.0.1:5302/fixed", duration);
            var dapper = await HttpBenchmark.LoadAsync("dapper", n => $"http://127.0.0.1:5302/trade-records/{1 + n % maxId}", duration);
            var byId = await HttpBenchmark.LoadAsync("api by id", n => $"http://127.0.0.1:5301/v1/trade-records/{1 + n % maxId}", duration);
            string[] reporters = ["USA", "CHN", "DEU", "FRA", "JPN", "GBR", "IND", "ITA"];
            var page = await HttpBenchmark.LoadAsync("api page", n => $"http://127.0.0.1:5301/v1/trade-records?reporter={reporters[n % reporters.Length]}&year={2005 + n % 20}&flow=X&limit=50", duration);
            Line(Http("GET /v1/trade-records/{id}", byId, dapper, "bare Kestrel + Dapper by id", "≥ 70%"));
            Line(Http("GET /v1/trade-records?reporter&year&flow&limit=50", page, dapper, "bare Kestrel + Dapper by id", "—"));
            Line(Http("bare Kestrel + Dapper by id", dapper, fixedJson, "bare Kestrel, fixed JSON", "—"));

            // Query language (issue 3): page 1 against the page reached by following next, one client.
            var (busyReporter, busyPartner, busyHs) = ReadBenchmarks.BusyPair(importDb);
            Console.Error.WriteLine($"Busy pair: {busyReporter}/{busyPartner}, HS {busyHs}");
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };
            const string Api = "http://127.0.0.1:5301";
            var slowQuery = "sort=-valueUsd&filter=" + Uri.EscapeDataString("flow eq 'X'");
            string[] queries = ["", "sort=-valueUsd", $"reporter={busyReporter}&sort=-year", slowQuery, "year=2015&sort=-valueUsd"];
            var walkBudget = TimeSpan.FromSeconds(120);
            // The indexes of migration 0007 and the walked queries they serve: a before/after in the same run.
            (string Index, string Create, string Query)[] indexes =
            [
                ("ix_trade_record_flow_value", "CREATE INDEX IF NOT EXISTS ix_trade_record_flow_value ON trade_record(flow, value_usd_cents, id)", slowQuery),
                ("ix_trade_record_reporter_year", "CREATE INDEX IF NOT EXISTS ix_trade_record_reporter_year ON trade_record(reporter, year, id)", $"reporter={busyReporter}&sort=-year"),
            ];
            var walks = new Dictionary<string, ReadBenchmarks.Walk>();
            foreach (var query in queries)
            {
                Console.Error.WriteLine($"Walking {query} ...");
                var walk = await ReadBenchmarks.WalkAsync(client, Api, query, pages, walkBudget);
                Line(WalkLine(walk, pages));
                walks[query] = walk;
            }
            Console.Error.WriteLine("Dropping the indexes of 0007 for the before figures ...");
            foreach (var index in indexes)
            {
                ReadBenchmarks.Execute(importDb, $"DROP INDEX IF EXISTS {index.Index}");
            }
            foreach (var index in indexes)
            {
                var after = walks[index.Query];
                var before1 = await ReadBenchmarks.LatencyAsync(client, _ => $"{Api}/v1/trade-records?{index.Query}&limit=50", 7, TimeSpan.FromSeconds(10));
                var beforeDeep = await ReadBenchmarks.LatencyAsync(client, _ => after.DeepUrl!, 7, TimeSpan.FromSeconds(10));
                Line(string.Create(CultureInfo.InvariantCulture,
                    $"| before 0007: `{Uri.UnescapeDataString(index.Query)}` **without** `{index.Index}` | page 1: {Lat(before1)}; page {after.Pages:N0}: {Lat(beforeDeep)} | with it (after, above): page 1 p50 {Ms(after.Page1.P50)} ms, page {after.Pages:N0} p50 {Ms(after.DeepPage.P50)} ms | page 1 {before1.P50 / after.Page1.P50:F0}× slower without | — |"));
            }
            var beforeLoad = await HttpBenchmark.LoadAsync("api page before", n => $"http://127.0.0.1:5301/v1/trade-records?reporter={reporters[n % reporters.Length]}&year={2005 + n % 20}&flow=X&limit=50", duration);
            Line(Http("before 0007: GET /v1/trade-records?reporter&year&flow&limit=50 without its indexes", beforeLoad, dapper, "bare Kestrel + Dapper by id", "—"));
            foreach (var index in indexes)
            {
                ReadBenchmarks.Execute(importDb, index.Create);
            }

            // Analytics (issue 4): sequential latency against the by-id Dapper reference.
            var budget = TimeSpan.FromSeconds(20);
            var reference = await ReadBenchmarks.LatencyAsync(client, n => $"http://127.0.0.1:5302/trade-records/{1 + (n * 7919) % maxId}", Math.Max(requests, 200), budget);
            var apiById = await ReadBenchmarks.LatencyAsync(client, n => $"{Api}/v1/trade-records/{1 + (n * 7919) % maxId}", Math.Max(requests, 200), budget);
            var refText = $"bare Kestrel + Dapper by id: {Lat(reference)}";
            Line($"| GET /v1/trade-records/{{id}} (one client) | {Lat(apiById)} | {refText} | {apiById.P50 / reference.P50:F1}× | — |");
            var (r, p, h) = (busyReporter, busyPartner, busyHs);
            string[] analytics =
            [
                $"/v1/trade/balance?reporter={r}&partner={p}&hs={h}",
                $"/v1/trade/partner-share?reporter={r}&partner={p}&flow=X&hs={h}",
                $"/v1/trade/top-partners?reporter={r}&flow=X&hs={h}",
                $"/v1/trade/top-commodities?reporter={r}&partner={p}&flow=X&level=chapter",
                $"/v1/trade/mirror?reporter={r}&partner={p}&flow=X&hs={h}",
                $"/v1/trade/summary?groupBy=year,flow&metrics=count,sumValueUsd,sumNetWeightKg&reporter={r}",
                "/v1/trade/summary?groupBy=year,hsChapter&metrics=count,sumValueUsd",
                $"/v1/dyads/{r}/{p}",
                "/v1/dyads/AZE/ISR",
            ];
            foreach (var path in analytics)
            {
                Console.Error.WriteLine($"Analytics {path} ...");
                var latency = await ReadBenchmarks.LatencyAsync(client, _ => Api + path, requests, budget);
                Line($"| GET {path} | {Lat(latency)} | {refText} | {latency.P50 / reference.P50:F0}× | — |");
            }
            await api.StopAsync();
            await bare.StopAsync();
        }
        SqliteConnection.ClearAllPools();

        // Start-up to the first successful answer, on the existing (imported) database.
        var apiDll = Path.Combine(AppContext.BaseDirectory, "BilateralApi.dll");
        var selfDll = typeof(BenchmarkMain).Assembly.Location;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var apiStart = await HttpBenchmark.StartupAsync(dotnet, $"\"{apiDll}\" --db \"{importDb}\" --urls http://127.0.0.1:5303 --no-seed", "http://127.0.0.1:5303/v1/trade-records/1");
        var bareStart = await HttpBenchmark.StartupAsync(dotnet, $"\"{selfDll}\" bare 5304", "http://127.0.0.1:5304/fixed");
        Line(string.Create(CultureInfo.InvariantCulture,
            $"| start-up to first GET /v1/trade-records/1 (existing {rows:N0}-row database) | {apiStart:N0} ms | bare Kestrel process to first answer: {bareStart:N0} ms | {bareStart / apiStart:P0} | — |"));

        // Streamed export (issues 3/6): the published API in its own process, all rows, peak working set of that process.
        var total = ReadBenchmarks.Scalar(importDb, "SELECT COUNT(*) FROM trade_record");
        Console.Error.WriteLine("Export reference: Dapper + Sep to a null stream ...");
        var referenceExport = await ReadBenchmarks.ReferenceExportAsync(dotnet, selfDll, importDb);
        var refExport = string.Create(CultureInfo.InvariantCulture,
            $"Dapper read + Sep CSV to a null stream (own process): {referenceExport.RowsPerSecond:N0} rows/s ({referenceExport.Seconds:F1} s), peak {referenceExport.PeakWorkingSetBytes / 1048576.0:N0} MB");
        foreach (var (format, exportPort) in new[] { ("csv", 5305), ("ndjson", 5306) })
        {
            Console.Error.WriteLine($"Export format={format} ...");
            var export = await ReadBenchmarks.ExportAsync(dotnet, apiDll, importDb, exportPort, $"/v1/trade-records?format={format}", (int)total);
            Line(string.Create(CultureInfo.InvariantCulture,
                $"| GET /v1/trade-records?format={format}, all {export.Rows:N0} rows ({export.Bytes / 1048576.0:N0} MB), API in its own process | {export.RowsPerSecond:N0} rows/s ({export.Seconds:F1} s); peak working set {export.PeakWorkingSetBytes / 1048576.0:N0} MB | {refExport} | {export.RowsPerSecond / referenceExport.RowsPerSecond:P0} | peak < 200 MB |"));
        }

        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}; HTTP load: {HttpBenchmark.Concurrency} concurrent loopback connections from the same process, {seconds} s per target after 2 s warm-up.");
        output.AppendLine();
        foreach (var line in table)
        {
            output.AppendLine(line);
        }
        Console.Write(output.ToString());
        return 0;
    }

    /// <summary>A migrated database holding <paramref name="rows"/> generated trade rows, imported by the API's own import path.</summary>
    private static async Task CreateImportedAsync(string dbPath, int rows, string work)
    {
        Console.Error.WriteLine($"Generating and importing {rows:N0} rows into {dbPath} ...");
        var (countries, commodities) = Generator.Reference(RepoRoot());
        var csv = Path.Combine(work, $"comtrade-{rows}.csv");
        Generator.Write(csv, rows, countries, commodities);
        await ImportBenchmark.CreateTemplateAsync(dbPath);
        await ImportBenchmark.ImportAsync(dbPath, csv);
        SqliteConnection.ClearAllPools();
        File.Delete(csv);
    }

    internal static string WalkLine(ReadBenchmarks.Walk w, int pages) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| `GET /v1/trade-records?{Uri.UnescapeDataString(w.Query)}{(w.Query.Length > 0 ? "&" : "")}limit=50`: page {w.Pages:N0} (following `next`){(w.Pages < pages ? $", walk stopped by its time budget" : "")} | {Lat(w.DeepPage)}; median page of the walk {Ms(w.MedianPageMs)} ms | page 1: {Lat(w.Page1)} | {w.DeepPage.P50 / w.Page1.P50:F2}× | ≈ 1× |");

    private static string Http(string name, HttpBenchmark.Result result, HttpBenchmark.Result reference, string referenceName, string target) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {result.RequestsPerSecond:N0} req/s, p99 {result.P99Milliseconds:F2} ms{(result.Errors > 0 ? $", {result.Errors} errors" : "")} | {referenceName}: {reference.RequestsPerSecond:N0} req/s, p99 {reference.P99Milliseconds:F2} ms | {result.RequestsPerSecond / reference.RequestsPerSecond:P0} | {target} |");

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Ms(double ms) => ms >= 100 ? ms.ToString("N0", CultureInfo.InvariantCulture) : ms.ToString("F1", CultureInfo.InvariantCulture);

    private static string Lat(ReadBenchmarks.Latency l) =>
        $"p50 {Ms(l.P50)} ms, p99 {Ms(l.P99)} ms (n={l.Requests}{(l.Errors > 0 ? $", {l.Errors} errors" : "")})";

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Copy(string from, string to)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(to + suffix);
        }
        File.Copy(from, to);
        return to;
    }

    internal static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BilateralApi.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}

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
        var rows = Option(args, "--rows", 1_000_000);
        var seconds = Option(args, "--seconds", 8);
        var root = RepoRoot();
        var work = Path.Combine(Path.GetTempPath(), "bilateral-bench");
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

        Console.Error.WriteLine($"Generating {rows:N0} Comtrade-shaped rows ...");
        var (countries, commodities) = Generator.Reference(root);
        var csv = Path.Combine(work, "comtrade.csv");
        Generator.Write(csv, rows, countries, commodities);
        var template = Path.Combine(work, "template.db");
        await ImportBenchmark.CreateTemplateAsync(template);

        var baselineDb = Copy(template, Path.Combine(work, "baseline.db"));
        var importDb = Copy(template, Path.Combine(work, "import.db"));
        Console.Error.WriteLine("Baseline: prepared INSERT of the parsed rows ...");
        var baseline = await ImportBenchmark.BaselineAsync(baselineDb, csv);
        Console.Error.WriteLine("Import path: CSV -> validation -> prepared statement ...");
        var import = await ImportBenchmark.ImportAsync(importDb, csv);
        Line(string.Create(CultureInfo.InvariantCulture,
            $"| import {import.Rows:N0} CSV rows (POST /v1/trade-records/import code path) | {import.RowsPerSecond:N0} rows/s ({import.Seconds:F1} s) | plain prepared INSERT: {baseline.RowsPerSecond:N0} rows/s ({baseline.Seconds:F1} s) | {import.RowsPerSecond / baseline.RowsPerSecond:P0} | ≥ 50% |"));
        Line(string.Create(CultureInfo.InvariantCulture,
            $"| import peak working set (whole process) | {import.PeakWorkingSetBytes / 1048576.0:N0} MB | — | — | flat in file size |"));

        // HTTP reads over the imported database.
        var duration = TimeSpan.FromSeconds(seconds);
        await using (var api = HttpBenchmark.Api("http://127.0.0.1:5301", importDb))
        await using (var bare = HttpBenchmark.Bare("http://127.0.0.1:5302", importDb))
        {
            await BilateralApi.Infrastructure.AppHost.InitializeAsync(api.Services, CancellationToken.None);
            await api.StartAsync();
            await bare.StartAsync();
            var maxId = rows;
            var fixedJson = await HttpBenchmark.LoadAsync("fixed", _ => "http://127.0.0.1:5302/fixed", duration);
            var dapper = await HttpBenchmark.LoadAsync("dapper", n => $"http://127.0.0.1:5302/trade-records/{1 + n % maxId}", duration);
            var byId = await HttpBenchmark.LoadAsync("api by id", n => $"http://127.0.0.1:5301/v1/trade-records/{1 + n % maxId}", duration);
            string[] reporters = ["USA", "CHN", "DEU", "FRA", "JPN", "GBR", "IND", "ITA"];
            var page = await HttpBenchmark.LoadAsync("api page", n => $"http://127.0.0.1:5301/v1/trade-records?reporter={reporters[n % reporters.Length]}&year={2005 + n % 20}&flow=X&limit=50", duration);
            Line(Http("GET /v1/trade-records/{id}", byId, dapper, "bare Kestrel + Dapper by id", "≥ 70%"));
            Line(Http("GET /v1/trade-records?reporter&year&flow&limit=50", page, dapper, "bare Kestrel + Dapper by id", "—"));
            Line(Http("bare Kestrel + Dapper by id", dapper, fixedJson, "bare Kestrel, fixed JSON", "—"));
            Line("| GET /v1/dyads/AZE/ISR | skipped: the endpoint does not exist yet (issue 4) | | | |");
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
        Line("| streamed export of 1,000,000 rows | not measured: list export (format=csv/ndjson) arrives with issue 3 | | | peak working set < 200 MB |");

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

    private static string Http(string name, HttpBenchmark.Result result, HttpBenchmark.Result reference, string referenceName, string target) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {result.RequestsPerSecond:N0} req/s, p99 {result.P99Milliseconds:F2} ms{(result.Errors > 0 ? $", {result.Errors} errors" : "")} | {referenceName}: {reference.RequestsPerSecond:N0} req/s, p99 {reference.P99Milliseconds:F2} ms | {result.RequestsPerSecond / reference.RequestsPerSecond:P0} | {target} |");

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

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BilateralApi.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Benchmarks;

/// <summary>
/// `import` and `baci`: one generated file loaded by the import (in process: the code path of POST
/// /v1/trade-records/import and of the CLI; with --api also the published CLI as its own process),
/// against the plain-INSERT reference of <see cref="ImportBenchmark.BaselineAsync"/>, with the database
/// bytes per trade row against the raw table's. Prints one markdown table.
/// </summary>
public static class ImportRun
{
    public static async Task<int> RunAsync(bool baci, int rows, string work, string repoRoot, string? publishedApi, string? postgres = null)
    {
        var (countries, commodities) = Generator.Reference(repoRoot);
        var file = Path.Combine(work, baci ? $"baci-{rows}.csv" : $"comtrade-{rows}.csv");
        var codes = BaciGenerator.Codes(repoRoot, countries);
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"Generating {rows:N0} {(baci ? "BACI" : "Comtrade+")}-shaped rows into {file} ...");
            if (baci)
            {
                BaciGenerator.Write(file, rows, codes, commodities);
            }
            else
            {
                Generator.Write(file, rows, countries, commodities);
            }
        }
        if (postgres is not null)
        {
            return await PostgresImportBench.RunAsync(baci, rows, file, baci ? ImportBenchmark.ParseBaci(file, codes) : ImportBenchmark.ParseComtrade(file), postgres);
        }
        var template = Path.Combine(work, "template.db");
        await ImportBenchmark.CreateTemplateAsync(template);
        var templateBytes = new FileInfo(template).Length;

        Console.Error.WriteLine("Baseline: prepared INSERT of the parsed rows into a table without indexes ...");
        var parsed = baci ? ImportBenchmark.ParseBaci(file, codes) : ImportBenchmark.ParseComtrade(file);
        var rawDb = Path.Combine(work, "raw.db");
        var baseline = await ImportBenchmark.BaselineAsync(rawDb, parsed);
        parsed = null;
        GC.Collect();
        var rawBytes = new FileInfo(rawDb).Length;
        File.Delete(rawDb);

        Console.Error.WriteLine("Import (in process) ...");
        var importDb = Copy(template, Path.Combine(work, "import.db"));
        var import = await ImportBenchmark.ImportAsync(importDb, file);
        var importBytes = new FileInfo(importDb).Length - templateBytes;
        var changeLogEntries = ReadBenchmarks.Scalar(importDb, "SELECT count(*) FROM change_log");
        File.Delete(importDb);

        var lines = new List<string>
        {
            $"{rows:N0} {(baci ? "CEPII BACI" : "Comtrade+ CSV")} rows, generated ({new FileInfo(file).Length / 1048576.0:N0} MB file)",
            "",
            "| measure | import | plain prepared INSERT, no index (same run) | ratio | target |",
            "|---|---|---|---|---|",
            Line($"| rows/s, in process (the POST and CLI code path) | {import.RowsPerSecond:N0} ({import.Seconds:F1} s) | {baseline.RowsPerSecond:N0} ({baseline.Seconds:F1} s) | {import.RowsPerSecond / baseline.RowsPerSecond:F2}× | ≥ 0.5× |"),
            Line($"| database bytes per trade row | {importBytes / (double)rows:N0} | {rawBytes / (double)rows:N0} (raw table) | {importBytes / (double)rawBytes:F2}× | ≤ 3× |"),
            Line($"| change-log entries written | {changeLogEntries:N0} | — | — | 1 |"),
            Line($"| peak working set (in-process run, whole process) | {import.PeakWorkingSetBytes / 1048576.0:N0} MB | — | — | — |"),
        };
        if (publishedApi is not null)
        {
            var cliDb = Copy(template, Path.Combine(work, "cli.db"));
            var (seconds, peak) = RunCli(publishedApi, cliDb, file);
            File.Delete(cliDb);
            lines.Add(Line($"| rows/s, published CLI (`import trade-records FILE`, whole process) | {rows / seconds:N0} ({seconds:F1} s) | {baseline.RowsPerSecond:N0} | {rows / seconds / baseline.RowsPerSecond:F2}× | ≥ 0.5× |"));
            lines.Add(Line($"| peak working set, published CLI | {peak / 1048576.0:N0} MB | — | — | < 250 MB |"));
        }
        Console.WriteLine(string.Join('\n', lines));
        return 0;
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The published build's `import trade-records` as its own process: wall time and peak working set (VmHWM, read while it runs).</summary>
    private static (double Seconds, long PeakBytes) RunCli(string publishedApi, string db, string file)
    {
        var start = new ProcessStartInfo(Path.Combine(publishedApi, "BilateralApi"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = publishedApi,
        };
        foreach (var argument in new[] { "import", "trade-records", file, "--source-id", ImportBenchmark.SourceId, "--db", db })
        {
            start.ArgumentList.Add(argument);
        }
        Console.Error.WriteLine($"Published CLI: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.WaitForExit(200))
        {
            peak = Math.Max(peak, PeakOf(process.Id));
        }
        clock.Stop();
        Console.Error.WriteLine(output.Result + errors.Result);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The CLI import exited with {process.ExitCode}.");
        }
        return (clock.Elapsed.TotalSeconds, peak);
    }

    private static long PeakOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string Copy(string from, string to)
    {
        File.Delete(to);
        File.Delete(to + "-wal");
        File.Delete(to + "-shm");
        File.Copy(from, to);
        return to;
    }
}

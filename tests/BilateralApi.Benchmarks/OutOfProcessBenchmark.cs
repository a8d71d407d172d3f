using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BilateralApi.Benchmarks;

/// <summary>
/// By-id reads as a user's load test sees them: the published API started as its own process from another
/// directory with the configuration it ships (only the rate limiter off, or the load test measures 429s),
/// against the bare Kestrel + Dapper by-id reference, also its own process, on the same database. One load
/// generator (wrk when installed, else an HttpClient loop in this process) with the same connections for
/// both; the two are measured in alternating rounds so that the machine's drift falls on both alike.
/// </summary>
public static partial class OutOfProcessBenchmark
{
    public sealed record Round(string Target, double RequestsPerSecond, double P99Milliseconds, long Errors);

    /// <summary>The store both processes read: its name, the --db value, the reference's label and command, the highest id.</summary>
    public sealed record Target(string Store, string Database, string Reference, string ReferenceCommand, long MaxId);

    public static async Task<int> RunAsync(string publishedDir, Target target, int seconds, int rounds, int warmup, string work)
    {
        var apiDll = Path.Combine(publishedDir, "BilateralApi.dll");
        if (!File.Exists(apiDll))
        {
            Console.Error.WriteLine($"No BilateralApi.dll in {publishedDir}: run `dotnet publish src/BilateralApi -c Release -o DIR` first.");
            return 2;
        }
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var selfDll = typeof(OutOfProcessBenchmark).Assembly.Location;
        var maxId = target.MaxId;
        var cwd = Directory.CreateDirectory(Path.Combine(work, "elsewhere")).FullName;
        const string ApiUrl = "http://127.0.0.1:5311";
        const string BareUrl = "http://127.0.0.1:5312";

        using var api = ReadBenchmarks.StartQuiet(dotnet, $"\"{apiDll}\" --db \"{target.Database}\" --urls {ApiUrl} --no-seed --RateLimits:Enabled=false", cwd);
        using var bare = ReadBenchmarks.StartQuiet(dotnet, $"\"{selfDll}\" {target.ReferenceCommand} 5312 \"{target.Database}\"", cwd);
        try
        {
            using (var probe = new HttpClient())
            {
                await ReadBenchmarks.WaitReadyAsync(probe, $"{ApiUrl}/v1/trade-records/1");
                await ReadBenchmarks.WaitReadyAsync(probe, $"{BareUrl}/trade-records/1");
            }
            var wrk = FindOnPath("wrk");
            var generator = wrk is null
                ? $"HttpClient loop in the benchmark process, {HttpBenchmark.Concurrency} connections"
                : $"wrk -t1 -c{HttpBenchmark.Concurrency}";
            Console.Error.WriteLine($"Load generator: {generator}; {rounds} alternating rounds of {seconds} s after a {warmup} s warm-up of each.");
            var results = new List<Round>();
            foreach (var (name, url) in new[] { ("bare", $"{BareUrl}/trade-records/"), ("api", $"{ApiUrl}/v1/trade-records/") })
            {
                // Long enough for tiered compilation to finish: the API has far more code to tier up than the
                // reference, and a short warm-up measures the JIT's background thread, not the request path.
                await LoadAsync(wrk, name, url, maxId, warmup, work);
            }
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, url) in new[] { ("bare", $"{BareUrl}/trade-records/"), ("api", $"{ApiUrl}/v1/trade-records/") })
                {
                    var result = await LoadAsync(wrk, name, url, maxId, seconds, work);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1} {name}: {result.RequestsPerSecond:N0} req/s, p99 {result.P99Milliseconds:F2} ms, {result.Errors} errors"));
                    results.Add(result);
                }
            }
            var apiMean = results.Where(r => r.Target == "api").Average(r => r.RequestsPerSecond);
            var bareMean = results.Where(r => r.Target == "bare").Average(r => r.RequestsPerSecond);
            var errors = results.Sum(r => r.Errors);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| GET /v1/trade-records/{{id}} on {target.Store}, published build in its own process, shipped settings (rate limiter off), {maxId:N0} rows | {apiMean:N0} req/s | {target.Reference}, own process: {bareMean:N0} req/s | {apiMean / bareMean:F2}× | ≥ 0.70× |"));
            Console.WriteLine($"Load: {generator}, {warmup} s warm-up, then {rounds} × {seconds} s per target, alternating; {errors} non-2xx or socket errors.");
            return errors == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var process in new[] { api, bare })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static async Task<Round> LoadAsync(string? wrk, string name, string prefix, long maxId, int seconds, string work)
    {
        if (wrk is null)
        {
            var result = await HttpBenchmark.LoadAsync(name, n => prefix + (1 + n % maxId).ToString(CultureInfo.InvariantCulture), TimeSpan.FromSeconds(seconds));
            return new Round(name, result.RequestsPerSecond, result.P99Milliseconds, result.Errors);
        }
        var uri = new Uri(prefix);
        var script = Path.Combine(work, "byid.lua");
        await File.WriteAllTextAsync(script, string.Create(CultureInfo.InvariantCulture, $$"""
            math.randomseed(42)
            request = function()
              return wrk.format("GET", "{{uri.AbsolutePath}}" .. math.random(1, {{maxId}}))
            end
            done = function(summary, latency, requests)
              io.write(string.format("RESULT %d %f %f %d\n", summary.requests, summary.duration / 1e6, latency:percentile(99) / 1e3,
                summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
            end
            """));
        using var process = Process.Start(new ProcessStartInfo(wrk, $"-t1 -c{HttpBenchmark.Concurrency} -d{seconds}s -s \"{script}\" {uri.GetLeftPart(UriPartial.Authority)}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var match = ResultLine().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException($"wrk printed no result: {output}");
        }
        var requests = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var duration = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return new Round(name, requests / duration, double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"RESULT (\d+) ([\d.]+) ([\d.]+) (\d+)")]
    private static partial Regex ResultLine();
}

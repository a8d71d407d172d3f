using System.Diagnostics;
using BilateralApi.Infrastructure.Database;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Benchmarks;

/// <summary>
/// Requests/s and p99 latency under concurrent load from an in-process HttpClient loop over loopback
/// (bounded: a fixed duration per target). The references are served by the same process: a bare
/// Kestrel endpoint with a fixed JSON body, and a bare Kestrel endpoint doing a Dapper by-id query on
/// the same database with a pooled connection per request.
/// </summary>
public static class HttpBenchmark
{
    public sealed record Result(string Name, double RequestsPerSecond, double P99Milliseconds, long Errors);

    public const int Concurrency = 32;

    public static async Task<Result> LoadAsync(string name, Func<int, string> url, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseProxy = false };
        using var client = new HttpClient(handler);
        // Warm-up: JIT, connection pools, SQLite page cache.
        await RunAsync(client, url, TimeSpan.FromSeconds(2));
        var (count, latencies, errors) = await RunAsync(client, url, duration);
        latencies.Sort();
        var p99 = latencies.Count == 0 ? 0 : latencies[(int)(latencies.Count * 0.99)];
        return new Result(name, count / duration.TotalSeconds, p99, errors);
    }

    private static async Task<(long Count, List<double> Latencies, long Errors)> RunAsync(HttpClient client, Func<int, string> url, TimeSpan duration)
    {
        var stop = Stopwatch.StartNew();
        long errors = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(async worker =>
        {
            var latencies = new List<double>(100_000);
            var random = new Random(worker);
            while (stop.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url(random.Next()));
                await response.Content.CopyToAsync(Stream.Null);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            return latencies;
        }).ToArray();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToList();
        return (all.Count, all, errors);
    }

    public const string FixedJson = """{"id":1042,"reporter":"AZE","partner":"ISR","year":2024,"month":null,"flow":"X","hs":"2709","transportMode":0,"valueUsd":297000000,"netWeightKg":523500000,"quantity":null,"quantityUnit":null,"valueBasis":"FOB","estimated":false,"sourceId":"benchmark-comtrade","createdAt":"2026-11-28T00:00:00+00:00","updatedAt":"2026-11-28T00:00:00+00:00","version":1}""";

    /// <summary>The two reference servers: /fixed and /trade-records/{id} (naive Dapper).</summary>
    public static WebApplication Bare(string url, string? dbPath)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls=" + url]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/fixed", () => Results.Text(FixedJson, "application/json"));
        if (dbPath is not null)
        {
            // What a minimal endpoint would write: the default (pooled) connection, none of the API's settings.
            var connectionString = $"Data Source={dbPath}";
            app.MapGet("/trade-records/{id:long}", async (long id, CancellationToken cancellationToken) =>
            {
                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                var row = await connection.QuerySingleOrDefaultAsync<BareTradeRow>(new CommandDefinition(
                    $"SELECT {BareTradeRow.Columns} FROM trade_record WHERE id = @id",
                    new { id }, cancellationToken: cancellationToken));
                return row is null ? Results.NotFound() : Results.Json(row);
            });
        }
        return app;
    }

    public static WebApplication Api(string url, string dbPath) =>
        Program.Build(["--urls=" + url, "--Database:Path=" + dbPath, "--Database:Seed=false", "--Logging:LogLevel:Default=Warning", "--RateLimits:Enabled=false"]);

    /// <summary>Starts a program as a new process and times it to its first successful answer on <paramref name="probe"/>.</summary>
    public static async Task<double> StartupAsync(string fileName, string arguments, string probe)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var response = await client.GetAsync(probe);
                    if (response.IsSuccessStatusCode)
                    {
                        return clock.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(5);
            }
            throw new TimeoutException($"{fileName} {arguments} did not answer {probe}.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;

namespace BilateralApi.Benchmarks;

/// <summary>
/// Single-client latency of the query language (page 1 against the deep page reached by following
/// <c>next</c>), of the analytics endpoints, and of the streamed export in a separate server process.
/// Every loop is bounded by a request count and a time budget.
/// </summary>
public static class ReadBenchmarks
{
    public sealed record Latency(int Requests, double P50, double P99, long Errors);

    /// <summary>Sequential requests after 2 warm-up requests: at most <paramref name="requests"/>, at least 3, stopping after <paramref name="budget"/>.</summary>
    public static async Task<Latency> LatencyAsync(HttpClient client, Func<int, string> url, int requests, TimeSpan budget)
    {
        for (var i = 0; i < 2; i++)
        {
            await TimeAsync(client, url(i));
        }
        var samples = new List<double>();
        long errors = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < requests && (i < 3 || clock.Elapsed < budget); i++)
        {
            var (ms, ok) = await TimeAsync(client, url(i));
            samples.Add(ms);
            errors += ok ? 0 : 1;
        }
        samples.Sort();
        return new Latency(samples.Count, Percentile(samples, 0.50), Percentile(samples, 0.99), errors);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * p) - 1)];

    private static async Task<(double Ms, bool Ok)> TimeAsync(HttpClient client, string url)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(Stream.Null);
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, response.IsSuccessStatusCode);
    }

    public sealed record Walk(string Query, Latency Page1, Latency DeepPage, double MedianPageMs, int Pages, string? DeepUrl);

    /// <summary>
    /// Page 1 (median of repeated warm requests), then follows <c>page.next</c> up to page
    /// <paramref name="pages"/> (bounded by <paramref name="budget"/>), timing every page, then re-requests
    /// the deepest page reached.
    /// </summary>
    public static async Task<Walk> WalkAsync(HttpClient client, string baseUrl, string query, int pages, TimeSpan budget)
    {
        var first = query.Length == 0 ? $"{baseUrl}/v1/trade-records?limit=50" : $"{baseUrl}/v1/trade-records?{query}&limit=50";
        var page1 = await LatencyAsync(client, _ => first, 9, TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        var times = new List<double>(pages);
        string? url = first;
        string? deep = null;
        var reached = 0;
        while (url is not null && reached < pages && clock.Elapsed < budget)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
            reached++;
            deep = url;
            using var json = JsonDocument.Parse(body);
            url = json.RootElement.GetProperty("page").TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
                ? baseUrl + next.GetString()
                : null;
        }
        times.Sort();
        var deepLatency = await LatencyAsync(client, _ => deep!, 9, TimeSpan.FromSeconds(10));
        return new Walk(query, page1, deepLatency, times.Count == 0 ? 0 : times[times.Count / 2], reached, deep);
    }

    public sealed record Export(long Rows, double Seconds, long PeakWorkingSetBytes, long Bytes)
    {
        public double RowsPerSecond => Rows / Seconds;
    }

    /// <summary>
    /// Starts the published API as its own process on <paramref name="dbPath"/>, streams
    /// <paramref name="path"/> to a byte counter and reads the process's peak working set (VmHWM) at the end.
    /// </summary>
    public static async Task<Export> ExportAsync(string dotnet, string apiDll, string dbPath, int port, string path, int expectedRows)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        using var process = StartQuiet(dotnet, $"\"{apiDll}\" --db \"{dbPath}\" --urls {baseUrl} --no-seed");
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            await WaitReadyAsync(client, $"{baseUrl}/v1/trade-records/1");
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(baseUrl + path, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 16];
            long lines = 0, bytes = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
            clock.Stop();
            process.Refresh();
            var rows = path.Contains("format=csv", StringComparison.Ordinal) ? lines - 1 : lines;
            if (rows < expectedRows)
            {
                // CSV cells may hold newlines in general, but generated trade rows do not: fewer lines is a short export.
                throw new InvalidOperationException($"{path} streamed {rows} rows, expected {expectedRows}.");
            }
            return new Export(rows, clock.Elapsed.TotalSeconds, process.PeakWorkingSet64, bytes);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The export reference, run as its own process (<c>dapper-export DB</c>): prints "rows seconds peakBytes bytes".</summary>
    public static async Task<Export> ReferenceExportAsync(string dotnet, string selfDll, string dbPath)
    {
        using var process = Process.Start(new ProcessStartInfo(dotnet, $"\"{selfDll}\" dapper-export \"{dbPath}\"") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var f = output.Trim().Split(' ');
        if (process.ExitCode != 0 || f.Length != 4)
        {
            throw new InvalidOperationException($"dapper-export failed: {output}");
        }
        return new Export(long.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture));
    }

    /// <summary>Body of <c>dapper-export DB</c>: one unbuffered Dapper read of every row in id order, written with Sep to a null stream.</summary>
    public static int DapperExport(string dbPath)
    {
        var counter = new CountingStream();
        var clock = Stopwatch.StartNew();
        long rows = 0;
        using (var connection = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly"))
        {
            connection.Open();
            using var writer = Sep.Writer(o => o with { Escape = true }).To(counter);
            foreach (var r in connection.Query<BareTradeRow>(
                $"SELECT {BareTradeRow.Columns} FROM trade_record ORDER BY id",
                buffered: false))
            {
                using var row = writer.NewRow();
                row["id"].Format(r.Id);
                row["reporter"].Set(r.Reporter);
                row["partner"].Set(r.Partner);
                row["year"].Format(r.Year);
                row["month"].Set(r.Month?.ToString(CultureInfo.InvariantCulture) ?? "");
                row["flow"].Set(r.Flow);
                row["hs"].Set(r.Hs);
                row["transportMode"].Format(r.TransportMode);
                row["valueUsd"].Set(r.ValueUsdCents is { } c ? (c / 100m).ToString(CultureInfo.InvariantCulture) : "");
                row["netWeightKg"].Set(r.NetWeightKg?.ToString(CultureInfo.InvariantCulture) ?? "");
                row["quantity"].Set(r.Quantity?.ToString(CultureInfo.InvariantCulture) ?? "");
                row["quantityUnit"].Set(r.QuantityUnit ?? "");
                row["valueBasis"].Set(r.ValueBasis);
                row["estimated"].Set(r.Estimated != 0 ? "true" : "false");
                row["sourceId"].Set(r.SourceId ?? "");
                row["createdAt"].Set(r.CreatedAt);
                row["updatedAt"].Set(r.UpdatedAt);
                row["version"].Format(r.Version);
                rows++;
            }
        }
        clock.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} {clock.Elapsed.TotalSeconds} {process.PeakWorkingSet64} {counter.Length}"));
        return 0;
    }

    private sealed class CountingStream : Stream
    {
        private long length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
    }

    public static Process StartQuiet(string fileName, string arguments, string? workingDirectory = null)
    {
        var process = Process.Start(new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        // Drain the child's logs so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitReadyAsync(HttpClient client, string probe)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await client.GetAsync(probe);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"{probe} did not answer.");
    }

    /// <summary>The busiest ordered pair (most rows, World excluded) and its most frequent HS code.</summary>
    public static (string Reporter, string Partner, string Hs) BusyPair(string dbPath)
    {
        using var connection = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
        connection.Open();
        var (reporter, partner) = connection.QuerySingle<(string, string)>(
            "SELECT reporter, partner FROM trade_record WHERE partner <> 'WLD' GROUP BY reporter, partner ORDER BY COUNT(*) DESC, reporter, partner LIMIT 1");
        var hs = connection.QuerySingle<string>(
            "SELECT hs FROM trade_record WHERE reporter = @reporter AND partner = @partner GROUP BY hs ORDER BY COUNT(*) DESC, hs LIMIT 1", new { reporter, partner });
        return (reporter, partner, hs);
    }

    public static long Scalar(string dbPath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
        connection.Open();
        return connection.ExecuteScalar<long>(sql);
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection (used to drop and re-create an index for a before/after figure).</summary>
    public static void Execute(string dbPath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={dbPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandTimeout = 600;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Data.Common;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The server killed mid-write (SIGKILL: no shutdown, no flush): the real program in its own process,
/// one client writing records one by one and another importing a large CSV atomically, killed while
/// the import runs. After a restart on the same database: it is intact, every acknowledged write
/// is there with its change-log entry, the import is all or nothing, and the API writes again. In the
/// PostgreSQL pass the program runs on a PostgreSQL database of its own (--db with its connection string).
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int ImportRows = 60_000;
    private readonly ApiProcesses _processes = new();

    private PostgresTestDatabase? _postgres;

    private string DatabasePath => Path.Combine(_processes.Directory, "crash.db");

    /// <summary>What --db names: the SQLite file, or in the PostgreSQL pass a database created for this test.</summary>
    private async Task<string> LocationAsync() =>
        TestRun.OnPostgres ? (_postgres ??= await PostgresTestServer.CreateDatabaseAsync()).ConnectionString : DatabasePath;

    public void Dispose()
    {
        _processes.Dispose();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        _postgres?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Fact]
    public async Task A_server_killed_mid_write_restarts_with_every_acknowledged_write_and_no_half_import()
    {
        var location = await LocationAsync();
        var port = ApiProcesses.FreePort();
        var api = _processes.Start("--db", location, "--urls", $"http://127.0.0.1:{port}", "--no-seed");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        await ApiProcesses.WaitReadyAsync(client);
        var key = await _processes.RunAsync("keys", "create", "--name", "crash-test", "--scopes", "write,import", "--db", location);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/v1/sources/crash-import-source", Body(Source("crash-import-source")))).StatusCode);

        // Writer 1: sources one by one; a 201 is an acknowledged write.
        var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<string>();
        string? inFlight = null;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"crash-source-{i:D5}";
                Volatile.Write(ref inFlight, id);
                try
                {
                    var response = await client.PutAsync($"/v1/sources/{id}", Body(Source(id)));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Enqueue(id);
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        });

        // Writer 2: one atomic import of many rows, killed while it runs.
        // Distinct natural keys: partner × chapter × month × year.
        string[] partners = ["ISR", "TUR", "RUS", "ITA", "USA"];
        string[] chapters = ["01", "10", "27", "30", "52", "61", "72", "84", "85", "93"];
        var csv = new StringBuilder("reporterISO,partnerISO,period,flowCode,cmdCode,motCode,primaryValue,netWgt,qty,qtyUnitAbbr\n");
        for (var n = 0; n < ImportRows; n++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"AZE,{partners[n % 5]},{1930 + n / 600}{n / 50 % 12 + 1:00},X,{chapters[n / 5 % 10]},0,{n + 1}.5,1,,\n");
        }
        var waiting = Stopwatch.StartNew();
        while (acknowledged.Count < 20)
        {
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(30) && !writer.IsCompleted, "The writer got no 20 acknowledgements.");
            await Task.Delay(20);
        }
        // The import holds the write lock until it commits (the writer's next PUT waits for it), so the kill
        // lands inside its transaction: a few seconds of work, killed after one.
        var import = client.PostAsync("/v1/trade-records/import?sourceId=crash-import-source", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        await Task.Delay(1000);
        Assert.False(import.IsCompleted, import.IsCompleted
            ? $"The import finished before the kill ({(int)(await import).StatusCode}: {await (await import).Content.ReadAsStringAsync()}); it must still run when the server is killed."
            : "");

        api.Kill(entireProcessTree: true);
        await api.WaitForExitAsync();
        stop.Cancel();
        await writer;
        var importAnswered = await Answered(import);
        var lastAttempt = Volatile.Read(ref inFlight);

        // Restart on the same database.
        var again = _processes.Start("--db", location, "--urls", $"http://127.0.0.1:{port}", "--no-seed");
        await ApiProcesses.WaitReadyAsync(client);

        await using (DbConnection connection = TestRun.OnPostgres
            ? new NpgsqlConnection(location)
            : new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            if (!TestRun.OnPostgres)
            {
                // SQLite's check of its file; a PostgreSQL server recovers from its own log and has no such statement.
                Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            }
            var stored = (await connection.QueryAsync<string>("SELECT id FROM source WHERE id LIKE 'crash-source-%'")).ToHashSet();
            Assert.Subset(stored, acknowledged.ToHashSet());
            Assert.Subset(new HashSet<string>([.. acknowledged, lastAttempt!]), stored);
            // Every stored record has its change-log entry: the log is written in the record's transaction.
            var logged = (await connection.QueryAsync<string>("SELECT record_id FROM change_log WHERE resource = 'sources' AND action = 'create' AND record_id LIKE 'crash-source-%'")).ToHashSet();
            Assert.Equal(stored, logged);
            // All or nothing: the import committed every row with its log entry, or none.
            var imported = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trade_record WHERE source_id = 'crash-import-source'");
            var importLogged = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM change_log WHERE resource = 'trade-records'");
            Assert.True(imported is 0 or ImportRows, $"{imported} of {ImportRows} rows were stored");
            Assert.Equal(imported, importLogged);
            Assert.False(importAnswered && imported == 0, "The import was acknowledged but its rows are gone.");
        }

        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/v1/sources/crash-after-restart", Body(Source("crash-after-restart")))).StatusCode);
        Assert.True(acknowledged.Count >= 20);
        again.Kill(entireProcessTree: true);
    }

    private static async Task<bool> Answered(Task<HttpResponseMessage> request)
    {
        try
        {
            return (await request).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static object Source(string id) => new
    {
        id, type = "news", author = (string?)null, publisher = "Crash Test", title = $"Source {id}", url = (string?)null,
        publishedOn = "2024", retrievedOn = "2026-11-28", reliability = "C", licence = (string?)null, notes = (string?)null,
    };

    private static StringContent Body(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}

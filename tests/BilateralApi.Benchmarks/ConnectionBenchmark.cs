using System.Diagnostics;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BilateralApi.Benchmarks;

/// <summary>
/// `connection-open DB`: the cost of the API's connection open (SqliteConnectionFactory.OpenAsync, with
/// its per-connection settings) plus one by-id query, against a bare pooled open plus the same query,
/// same process, alternating rounds. What every request pays before its own SQL.
/// </summary>
public static class ConnectionBenchmark
{
    public static async Task<int> RunAsync(string db)
    {
        const int iterations = 50_000;
        var factory = new SqliteConnectionFactory(Options.Create(new DatabaseOptions { Path = db }));
        var bare = new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadWrite, Pooling = true }.ToString();

        async Task<double> Measure(Func<Task<SqliteConnection>> open)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                await using var connection = await open();
                await connection.QuerySingleOrDefaultAsync<long?>("SELECT id FROM trade_record WHERE id = @id", new { id = 1 + (i % 1000) });
            }
            return clock.Elapsed.TotalMilliseconds * 1_000_000 / iterations;
        }

        async Task<SqliteConnection> OpenBare()
        {
            var connection = new SqliteConnection(bare);
            await connection.OpenAsync();
            return connection;
        }

        // Warm both pools and the JIT, then three alternating rounds; the last round is reported.
        double api = 0, reference = 0;
        for (var round = 0; round < 4; round++)
        {
            api = await Measure(() => factory.OpenAsync(CancellationToken.None));
            reference = await Measure(OpenBare);
            Console.Error.WriteLine($"round {round}: API open + query {api:N0} ns, bare open + query {reference:N0} ns");
        }
        Console.WriteLine($"| connection open + by-id query (SqliteConnectionFactory), {iterations:N0} times | {api:N0} ns | bare pooled open + same query: {reference:N0} ns | {reference / api:P0} | — |");
        return 0;
    }
}

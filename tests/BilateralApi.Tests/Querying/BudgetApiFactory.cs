using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Querying;

/// <summary>
/// A clock that moves forward by one millisecond each time it is read. The query budget reads it once
/// when a statement starts and once every <see cref="SqliteStatementStop.CheckEvery"/> SQLite steps, so "time"
/// here is work done: a statement is stopped after about limit × 1,000 steps, whatever the machine's speed.
/// </summary>
public sealed class SteppingClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerMillisecond);
}

/// <summary>
/// The API over 200,000 generated trade records with a query budget of 400 "milliseconds" of
/// <see cref="SteppingClock"/>: about 400,000 SQLite steps for a page, 200,000 for an exact count.
/// Measured with SQLite's progress handler: a filtered scan of all rows takes about 800,000 steps, an
/// exact count of them about 1,000,000, the bounded count (10,001 rows) about 100,000 and a count of one
/// year through its index about 70,000; every test below is at least twice over or under its limit.
/// </summary>
public class BudgetApiFactory : ApiFactory
{
    public const int Rows = 200_000;
    public const string Source = "budget-source";
    public const int SearchableSources = 100_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(CreateBudget()));
    }

    protected virtual QueryBudget CreateBudget() => new(TimeSpan.FromMilliseconds(400), new SteppingClock());

    /// <summary>Creates the source through the API, then the rows in one statement (a read test needs no change log).</summary>
    public async Task InitializeRowsAsync()
    {
        using var client = CreateWriterClient();
        await client.EnsureSourceAsync(Source);
        await using var connection = await OpenConnectionAsync();
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trade_record WHERE source_id = @Source", new { Source }) > 0)
        {
            return;
        }
        await connection.ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows})
            INSERT INTO trade_record (reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, value_basis, estimated, source_id, created_at, updated_at, version)
            SELECT 'AZE', 'ISR', 2000 + i % 20, NULL, 'X', CAST(100000 + i AS TEXT), 0, i * 100, 'FOB', 0, @Source, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1 FROM n
            """, new { Source });
        // Sources that all match one word, for the search (each store keeps its full-text index itself: FTS5 triggers, a generated tsvector).
        await connection.ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SearchableSources})
            INSERT INTO source (id, type, title, reliability, created_at, updated_at, version)
            SELECT 'budget-search-' || CAST(100000 + i AS TEXT), 'news', 'Budget pipeline report ' || CAST(i AS TEXT), 'C', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1 FROM n
            """);
    }
}

using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace BilateralApi.Benchmarks;

/// <summary>
/// The PostgreSQL side of the benchmarks: a database filled with the same generated rows as a SQLite benchmark
/// database (copied with binary COPY: setting up, not measured) and the bare Kestrel + Npgsql + Dapper by-id reference.
/// </summary>
public static class PostgresBench
{
    /// <summary>
    /// Migrates the PostgreSQL database and, when its trade table is empty, copies the SQLite database's sources and
    /// trade rows into it (ids kept). Returns the highest trade id.
    /// </summary>
    public static async Task<long> FillFromSqliteAsync(string connectionString, string sqlitePath)
    {
        await BilateralApi.Infrastructure.Database.Postgres.PostgresMigrator.MigrateAsync(connectionString, CancellationToken.None);
        await using var target = new NpgsqlConnection(connectionString);
        await target.OpenAsync();
        var present = await target.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM trade_record");
        if (present > 0)
        {
            return present;
        }
        Console.Error.WriteLine($"Copying {sqlitePath} into PostgreSQL ...");
        await using var source = new SqliteConnection($"Data Source={sqlitePath};Mode=ReadOnly");
        await source.OpenAsync();
        await using (var transaction = await target.BeginTransactionAsync())
        {
            foreach (var row in await source.QueryAsync("SELECT * FROM source"))
            {
                await target.ExecuteAsync(
                    "INSERT INTO source (id, type, author, publisher, title, url, published_on, retrieved_on, reliability, licence, notes, created_at, updated_at, version) " +
                    "VALUES (@id, @type, @author, @publisher, @title, @url, @published_on, @retrieved_on, @reliability, @licence, @notes, @created_at, @updated_at, @version) ON CONFLICT DO NOTHING",
                    (object)row, transaction);
            }
            await transaction.CommitAsync();
        }
        string[] columns = ["id", "reporter", "partner", "year", "month", "flow", "hs", "transport_mode", "value_usd_cents", "net_weight_kg", "quantity",
            "quantity_unit", "value_basis", "estimated", "source_id", "created_at", "updated_at", "version", "classification", "origin"];
        await using (var writer = await target.BeginBinaryImportAsync($"COPY trade_record ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)"))
        {
            await using var command = source.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", columns)} FROM trade_record ORDER BY id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                await writer.StartRowAsync();
                for (var i = 0; i < columns.Length; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        await writer.WriteNullAsync();
                        continue;
                    }
                    switch (reader.GetValue(i))
                    {
                        case long integer:
                            await writer.WriteAsync(integer, NpgsqlDbType.Bigint);
                            break;
                        case double real:
                            await writer.WriteAsync(real, NpgsqlDbType.Double);
                            break;
                        case var value:
                            await writer.WriteAsync(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, NpgsqlDbType.Text);
                            break;
                    }
                }
            }
            await writer.CompleteAsync();
        }
        await target.ExecuteAsync("SELECT setval(pg_get_serial_sequence('trade_record', 'id'), (SELECT MAX(id) FROM trade_record)); ANALYZE trade_record;");
        return await target.ExecuteScalarAsync<long>("SELECT MAX(id) FROM trade_record");
    }

    /// <summary>
    /// The by-id reference on PostgreSQL: what a minimal endpoint would write with Npgsql's recommended pooled data
    /// source and Dapper, none of the API's code or settings.
    /// </summary>
    public static WebApplication Bare(string url, string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls=" + url]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var dataSource = NpgsqlDataSource.Create(connectionString);
        app.MapGet("/trade-records/{id:long}", async (long id, CancellationToken cancellationToken) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<BareTradeRow>(new CommandDefinition(
                $"SELECT {BareTradeRow.Columns} FROM trade_record WHERE id = @id",
                new { id }, cancellationToken: cancellationToken));
            return row is null ? Results.NotFound() : Results.Json(row);
        });
        return app;
    }

    /// <summary>
    /// Page 1 against the page reached by following next (one client), for the walks of the full run, with the
    /// published API on PostgreSQL in its own process.
    /// </summary>
    public static async Task<int> WalkAsync(string apiDll, string connectionString, string busyReporter, int pages, Action<ReadBenchmarks.Walk> report)
    {
        const string Api = "http://127.0.0.1:5321";
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        using var api = ReadBenchmarks.StartQuiet(dotnet, $"\"{apiDll}\" --db \"{connectionString}\" --urls {Api} --no-seed --RateLimits:Enabled=false");
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };
            await ReadBenchmarks.WaitReadyAsync(client, $"{Api}/v1/trade-records?limit=1");
            string[] queries = ["", "sort=-valueUsd", $"reporter={busyReporter}&sort=-year", "sort=-valueUsd&filter=" + Uri.EscapeDataString("flow eq 'X'"), "year=2015&sort=-valueUsd"];
            foreach (var query in queries)
            {
                Console.Error.WriteLine($"Walking {query} ...");
                report(await ReadBenchmarks.WalkAsync(client, Api, query, pages, TimeSpan.FromSeconds(120)));
            }
            return 0;
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }
    }
}

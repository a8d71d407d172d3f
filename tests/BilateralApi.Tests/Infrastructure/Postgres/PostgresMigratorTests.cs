using BilateralApi.Infrastructure.Database.Postgres;
using Dapper;
using Npgsql;

namespace BilateralApi.Tests.Infrastructure.Postgres;

[Collection(PostgresCollection.Name)]
public class PostgresMigratorTests
{
    private static readonly string[] ScriptNames = PostgresMigrator.Migrations().Select(s => s.Name).ToArray();

    [SkippableFact]
    public async Task Migrations_apply_on_an_empty_database_and_are_journaled_in_order()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();

        var applied = await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        // The schema, then the reference data generated from the CSV files, then what later scripts add, in name order.
        Assert.Equal(["0001_schema.sql", "0002_reference_data.csv.sql", "0003_reference_areas.sql"], ScriptNames.Take(3));
        Assert.Equal(ScriptNames.Order(StringComparer.Ordinal), ScriptNames);
        Assert.Equal(ScriptNames, applied);
        await using var connection = await database.OpenAsync();
        Assert.Equal(ScriptNames, await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions ORDER BY schemaversionsid"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM source"));
        Assert.Equal("0", await connection.ExecuteScalarAsync<string>("SELECT is_country::text FROM country WHERE alpha3 = 'X899'"));
    }

    [SkippableFact]
    public async Task Applying_again_runs_nothing()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        var second = await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        Assert.Empty(second);
        await using var connection = await database.OpenAsync();
        Assert.Equal(ScriptNames.Length, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schemaversions"));
    }

    [SkippableFact]
    public async Task Migrators_started_together_on_a_fresh_database_all_succeed_and_journal_each_script_once()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();

        // Without the advisory lock, two DbUp runs race to create the journal and the tables, and one fails.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None))));

        Assert.Equal(ScriptNames, results.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.Single(results, r => r.Count > 0);
        await using var connection = await database.OpenAsync();
        var journaled = (await connection.QueryAsync<(string Name, long Times)>(
            "SELECT scriptname, count(*) FROM schemaversions GROUP BY scriptname ORDER BY scriptname")).ToList();
        Assert.Equal(ScriptNames, journaled.Select(j => j.Name));
        Assert.All(journaled, j => Assert.Equal(1, j.Times));
    }

    [SkippableFact]
    public async Task A_migrator_waits_while_another_session_holds_the_migration_lock()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await using var holder = await database.OpenAsync();
        await holder.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = PostgresMigrator.LockKey });

        var migration = Task.Run(() => PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None));
        var first = await Task.WhenAny(migration, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.NotSame(migration, first);
        await using (var probe = await database.OpenAsync())
        {
            Assert.Equal(0L, await probe.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'schemaversions'"));
        }

        await holder.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresMigrator.LockKey });
        Assert.Equal(ScriptNames, await migration.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [SkippableFact]
    public async Task Text_orders_bytewise_even_where_the_database_default_collation_is_not_C()
    {
        // An ICU English default would sort 'a' before 'B'; the columns are declared COLLATE "C", like SQLite's BINARY.
        await using var database = await PostgresTestServer.CreateDatabaseAsync("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en'");
        await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await using var connection = await database.OpenAsync();
        Assert.Equal(["a", "B"], await connection.QueryAsync<string>("SELECT x FROM (VALUES ('B'), ('a')) v(x) ORDER BY x"));

        foreach (var id in new[] { "b", "a", "B", "_x", "Z-1" })
        {
            await connection.ExecuteAsync(
                "INSERT INTO source (id, type, reliability, created_at, updated_at, version) VALUES (@id, 'news', 'B', 't', 't', 1)", new { id });
        }

        Assert.Equal(["B", "Z-1", "_x", "a", "b"], await connection.QueryAsync<string>("SELECT id FROM source ORDER BY id"));
        Assert.Equal(["a", "b"], await connection.QueryAsync<string>("SELECT id FROM source WHERE id > '_x' ORDER BY id"));
        Assert.Empty(await connection.QueryAsync<string>("""
            SELECT c.relname || '.' || a.attname
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND a.atttypid = 'text'::regtype
              AND c.relname <> 'schemaversions' AND a.attcollation <> (SELECT oid FROM pg_collation WHERE collname = 'C')
            """));
    }

    [SkippableFact]
    public async Task Search_vectors_fold_case_and_diacritics_and_neither_stem_nor_drop_words()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO source (id, type, reliability, created_at, updated_at, version, title, notes)
            VALUES ('s', 'news', 'B', 't', 't', 1, 'Bakü opens the EMBASSY', 'Café in Tel Aviv')
            """);

        async Task<bool> Matches(string words) => await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM source WHERE search_vector @@ plainto_tsquery('bilateral_search', @words))", new { words });

        Assert.True(await Matches("bakü"));
        Assert.True(await Matches("BAKU embassy"));
        Assert.True(await Matches("cafe"));
        Assert.True(await Matches("the"));
        Assert.False(await Matches("embassies"));
        Assert.False(await Matches("open"));
    }

    [SkippableFact]
    public async Task The_trade_natural_key_holds_one_annual_row_and_serves_the_imports_conflict_target()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO source (id, type, reliability, created_at, updated_at, version) VALUES ('s', 'statisticalDatabase', 'A', 't', 't', 1)");
        const string insert = """
            INSERT INTO trade_record (reporter, partner, year, month, flow, hs, value_usd_cents, value_basis, source_id, created_at, updated_at, version)
            VALUES ('AZE', 'ISR', 2023, NULL, 'X', '27', @value, 'FOB', 's', 't', 't', 1)
            """;
        // The import's conflict target: the unique index's own expression, COALESCE(month, 0), as in SQLite.
        const string upsert = insert + """

            ON CONFLICT (reporter, partner, year, COALESCE(month, 0), flow, hs, transport_mode, classification, origin)
            DO UPDATE SET value_usd_cents = excluded.value_usd_cents, version = trade_record.version + 1
            RETURNING id, version
            """;

        var first = await connection.QuerySingleAsync<(long Id, long Version)>(upsert, new { value = 5 });
        var second = await connection.QuerySingleAsync<(long Id, long Version)>(upsert, new { value = 7 });

        Assert.Equal((first.Id, 2L), second);
        // Annual rows have month NULL; the key still holds one of them (a plain UNIQUE would take NULLs as distinct).
        var clash = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(insert, new { value = 9 }));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, clash.SqlState);
        Assert.Equal("ux_trade_record_key", clash.ConstraintName);
    }
}

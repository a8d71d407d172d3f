using System.Data.Common;
using System.Globalization;
using BilateralApi.Infrastructure.Database.Postgres;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BilateralApi.Tests.Infrastructure.Postgres;

/// <summary>
/// The PostgreSQL schema is the SQLite schema translated (decision 0035): the same tables, columns (in order,
/// with their nullability, default and the translated type), primary keys, unique constraints, foreign keys with their
/// ON DELETE, and indexes (name, uniqueness, key columns, partial or not), and the same reference data. A SQLite
/// migration without its PostgreSQL twin in Infrastructure/Database/Postgres/Migrations fails here.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaParityTests(ApiFactory sqlite) : IClassFixture<ApiFactory>
{
    private static readonly string[] FullTextTables = ["agreement", "event", "source", "claim"];

    /// <summary>
    /// SQLite's tables that PostgreSQL has no twin of: the FTS5 tables and the shadow tables FTS5 keeps for
    /// each (PostgreSQL searches the search_vector columns below instead), the AUTOINCREMENT counters
    /// (an identity's sequence in PostgreSQL) and DbUp's journal, which each store names its own way.
    /// </summary>
    private static readonly string[] SqliteOnlyTables =
    [
        .. FullTextTables.SelectMany(t => new[] { "", "_config", "_content", "_data", "_docsize", "_idx" }.Select(suffix => $"{t}_fts{suffix}")),
        "sqlite_sequence",
        "SchemaVersions",
    ];

    /// <summary>PostgreSQL's own: DbUp's journal, and the full-text columns and their GIN indexes standing for the FTS5 tables.</summary>
    private static readonly string[] PostgresOnlyTables = ["schemaversions"];

    private static readonly string[] PostgresOnlyColumns = [.. FullTextTables.Select(t => $"{t}.search_vector")];

    private static readonly string[] PostgresOnlyIndexes = [.. FullTextTables.Select(t => $"ix_{t}_search")];

    /// <summary>
    /// Indexes whose PostgreSQL key ends in the id that SQLite gives its twin implicitly (every SQLite index ends in
    /// the rowid, which is trade_record's id): without it a keyset page after a cursor sorts a whole group of
    /// equal keys on PostgreSQL (Postgres migration 0005, decision 0043). Compared without that last id.
    /// </summary>
    private static readonly string[] PostgresIdTiebreakIndexes = ["ix_trade_record_partner_year", "ix_trade_record_source"];

    /// <summary>SQLite's declared types and what each becomes.</summary>
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TEXT"] = "text",
        ["INTEGER"] = "bigint",
        ["REAL"] = "double precision",
        ["BLOB"] = "bytea",
    };

    [SkippableFact]
    public async Task The_postgres_schema_has_the_tables_columns_keys_and_indexes_of_the_sqlite_schema()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await using var pg = await database.OpenAsync();
        await using var lite = await OpenSqliteAsync();

        var sqliteTables = (await lite.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToList();
        var postgresTables = (await pg.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).ToList();
        // The exceptions name things that exist, so that the lists cannot go stale.
        Assert.All(SqliteOnlyTables, t => Assert.Contains(t, sqliteTables));
        Assert.All(PostgresOnlyTables, t => Assert.Contains(t, postgresTables));
        Assert.Equal(PostgresOnlyColumns.Order(StringComparer.Ordinal), await pg.QueryAsync<string>(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'tsvector' ORDER BY 1"));
        Assert.Equal(PostgresOnlyIndexes.Order(StringComparer.Ordinal), await pg.QueryAsync<string>(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%USING gin%' ORDER BY 1"));

        var expected = await SqliteSchemaAsync(lite, sqliteTables.Except(SqliteOnlyTables).ToList());
        var actual = await PostgresSchemaAsync(pg, postgresTables.Except(PostgresOnlyTables).ToList());

        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "The PostgreSQL schema differs from SQLite's; add a PostgreSQL migration for each SQLite one (docs/postgresql.md)."
            + $"\nIn SQLite only:\n  {Lines(missing)}\nIn PostgreSQL only:\n  {Lines(extra)}");
        Assert.NotEmpty(expected);
    }

    [SkippableFact]
    public async Task The_reference_data_is_the_same_in_both_stores()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await using var pg = await database.OpenAsync();
        await using var lite = await OpenSqliteAsync();

        foreach (var query in new[]
        {
            "SELECT * FROM country ORDER BY alpha3",
            "SELECT * FROM commodity ORDER BY code",
            "SELECT * FROM code_list_entry ORDER BY list, parent, code",
        })
        {
            var expected = await RowsAsync(lite, query);
            Assert.True(expected.Count > 20, query);
            Assert.Equal(expected, await RowsAsync(pg, query));
        }
    }

    private static string Lines(List<string> lines) => lines.Count == 0 ? "(none)" : string.Join("\n  ", lines);

    private async Task<SqliteConnection> OpenSqliteAsync()
    {
        _ = sqlite.Services; // starts the app: the database is created and migrated
        var connection = new SqliteConnection($"Data Source={sqlite.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<string>> RowsAsync(DbConnection connection, string query)
    {
        var rows = new List<string>();
        await using var reader = await connection.ExecuteReaderAsync(query);
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i)
                ? "NULL"
                : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    /// <summary>One line per column, key, foreign key and index, in words both readers produce.</summary>
    private static async Task<List<string>> SqliteSchemaAsync(SqliteConnection connection, List<string> tables)
    {
        var lines = new List<string>();
        foreach (var table in tables)
        {
            var columns = (await connection.QueryAsync<(long Cid, string Name, string Type, long NotNull, string? Default, long Pk)>(
                "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@table) ORDER BY cid", new { table })).ToList();
            lines.AddRange(columns.Select(c =>
                $"column {table} #{c.Cid + 1} {c.Name} {(Types.TryGetValue(c.Type, out var type) ? type : "untranslated " + c.Type)}"
                + $"{(c.NotNull == 1 || c.Pk > 0 ? " not null" : "")}{(c.Default is null ? "" : " default " + c.Default)}"));
            lines.Add($"primary key {table} ({string.Join(", ", columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name))})");

            foreach (var index in await connection.QueryAsync<(string Name, long Unique, string Origin, long Partial)>(
                "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@table)", new { table }))
            {
                var keys = string.Join(", ", await connection.QueryAsync<string>(
                    "SELECT CASE WHEN cid = -2 THEN '(expression)' ELSE name END FROM pragma_index_info(@name) ORDER BY seqno", new { name = index.Name }));
                lines.Add(index.Origin switch
                {
                    "pk" => null,
                    "u" => $"unique {table} ({keys})",
                    _ => $"index {table}.{index.Name} ({keys}){(index.Unique == 1 ? " unique" : "")}{(index.Partial == 1 ? " partial" : "")}",
                } ?? "");
            }

            foreach (var key in (await connection.QueryAsync<(long Id, long Seq, string Parent, string From, string To, string OnDelete)>(
                "SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(@table)", new { table })).GroupBy(k => k.Id))
            {
                var ordered = key.OrderBy(k => k.Seq).ToList();
                lines.Add($"foreign key {table} ({string.Join(", ", ordered.Select(k => k.From))}) references {ordered[0].Parent} "
                    + $"({string.Join(", ", ordered.Select(k => k.To))}) on delete {ordered[0].OnDelete.ToLowerInvariant()}");
            }
        }
        return lines.Where(l => l.Length > 0).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<List<string>> PostgresSchemaAsync(NpgsqlConnection connection, List<string> tables)
    {
        var lines = new List<string>();
        foreach (var table in tables)
        {
            // A default reads as SQLite writes it: 'HS', not 'HS'::text.
            var columns = (await connection.QueryAsync<(string Name, string Type, bool NotNull, string? Default)>("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::[a-z ]+$', '')
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.attgenerated = ''
                WHERE a.attrelid = @table::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
                """, new { table })).Where(c => !PostgresOnlyColumns.Contains($"{table}.{c.Name}")).ToList();
            lines.AddRange(columns.Select((c, i) =>
                $"column {table} #{i + 1} {c.Name} {c.Type}{(c.NotNull ? " not null" : "")}{(c.Default is null ? "" : " default " + c.Default)}"));

            foreach (var constraint in await connection.QueryAsync<(string Kind, string Keys, string? Parent, string? ParentKeys, string? OnDelete)>("""
                SELECT c.contype::text,
                       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                       c.confrelid::regclass::text,
                       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
                       CASE c.confdeltype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                                          WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END
                FROM pg_constraint c WHERE c.conrelid = @table::regclass AND c.contype IN ('p', 'u', 'f')
                """, new { table }))
            {
                lines.Add(constraint.Kind switch
                {
                    "p" => $"primary key {table} ({constraint.Keys})",
                    "u" => $"unique {table} ({constraint.Keys})",
                    _ => $"foreign key {table} ({constraint.Keys}) references {constraint.Parent} ({constraint.ParentKeys}) on delete {constraint.OnDelete}",
                });
            }

            foreach (var index in await connection.QueryAsync<(string Name, bool Unique, bool Partial, string Keys)>("""
                SELECT i.relname, x.indisunique, x.indpred IS NOT NULL,
                       (SELECT string_agg(CASE WHEN x.indkey[k - 1] = 0 THEN '(expression)' ELSE pg_get_indexdef(x.indexrelid, k, true) END, ', ' ORDER BY k)
                        FROM generate_series(1, x.indnkeyatts) k)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = @table::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = x.indrelid AND c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))
                """, new { table }))
            {
                if (!PostgresOnlyIndexes.Contains(index.Name))
                {
                    var keys = index.Keys;
                    if (PostgresIdTiebreakIndexes.Contains(index.Name))
                    {
                        Assert.EndsWith(", id", keys, StringComparison.Ordinal);
                        keys = keys[..^", id".Length];
                    }
                    lines.Add($"index {table}.{index.Name} ({keys}){(index.Unique ? " unique" : "")}{(index.Partial ? " partial" : "")}");
                }
            }
        }
        return lines.Order(StringComparer.Ordinal).ToList();
    }
}

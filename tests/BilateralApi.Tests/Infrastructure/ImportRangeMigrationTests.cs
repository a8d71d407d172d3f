using BilateralApi.Infrastructure.Database;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// Migration 0013 turns the one-row-per-created-row attribution of earlier imports into id ranges and keeps
/// the rows a range cannot say (updates, creations at a later version); a record's history reads the same.
/// </summary>
public sealed class ImportRangeMigrationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Rows_created_at_version_1_become_ranges_and_the_other_versions_stay()
    {
        _ = factory.Services; // starts the app: the database is created and migrated
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        // As migration 0012 left it: one row per written version, two imports, gaps in the first one's ids.
        await connection.ExecuteAsync("""
            DROP TABLE trade_import_range;
            INSERT INTO trade_record_import (import_seq, record_id, version, created) VALUES
                (900001, 11, 1, 1), (900001, 12, 1, 1), (900001, 13, 1, 1), (900001, 15, 1, 1), (900001, 16, 1, 1),
                (900001, 14, 3, 1), (900002, 12, 2, 0), (900002, 17, 1, 1);
            """, transaction: transaction);

        var script = EmbeddedData.ReadText("Migrations.0013_import_ranges.sql");
        await connection.ExecuteAsync(script[script.IndexOf("CREATE TABLE trade_import_range", StringComparison.Ordinal)..], transaction: transaction);

        var ranges = await connection.QueryAsync<(long, long, long)>(
            "SELECT import_seq, first_id, last_id FROM trade_import_range WHERE import_seq >= 900001 ORDER BY 1, 2", transaction: transaction);
        Assert.Equal([(900001L, 11L, 13L), (900001L, 15L, 16L), (900002L, 17L, 17L)], ranges);
        var kept = await connection.QueryAsync<(long, long, long, long)>(
            "SELECT import_seq, record_id, version, created FROM trade_record_import WHERE import_seq >= 900001 ORDER BY 1, 2", transaction: transaction);
        Assert.Equal([(900001L, 14L, 3L, 1L), (900002L, 12L, 2L, 0L)], kept);
    }
}

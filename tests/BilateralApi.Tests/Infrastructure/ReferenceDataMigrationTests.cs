using BilateralApi.Infrastructure.Database;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// Reference data loads from the CSV files only into a new database; entries added to the files later
/// reach an existing database through a migration, which must leave it as a new database would be.
/// </summary>
public sealed class ReferenceDataMigrationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Migration = "Migrations.0011_claim_code_list_entries.sql";

    private static readonly (string List, string Code)[] Added =
    [
        ("claimIndicator", "destinationRank"), ("claimIndicator", "importDependence"), ("claimIndicator", "consumption"),
        ("claimIndicator", "supplyShare"), ("claimIndicator", "routeShare"), ("claimUnit", "barrelsPerDay"),
    ];

    [Fact]
    public async Task A_database_from_before_the_claim_code_lists_gets_them_in_the_csv_order()
    {
        await using var connection = await OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var asNew = await EntriesAsync(connection, transaction);
        Assert.All(Added, added => Assert.Contains(asNew, e => e.List == added.List && e.Code == added.Code));

        // The database as the previous release made it: without the six entries, ordinals dense in the old CSV's order.
        foreach (var (list, code) in Added)
        {
            await connection.ExecuteAsync("DELETE FROM code_list_entry WHERE list = @list AND parent = '' AND code = @code", new { list, code }, transaction);
        }
        await connection.ExecuteAsync("""
            CREATE TEMP TABLE dense AS SELECT list, parent, code, ROW_NUMBER() OVER (ORDER BY ordinal) - 1 AS n FROM code_list_entry;
            UPDATE code_list_entry SET ordinal = (SELECT n FROM dense AS d WHERE d.list = code_list_entry.list AND d.parent = code_list_entry.parent AND d.code = code_list_entry.code);
            DROP TABLE dense;
            """, transaction: transaction);
        Assert.NotEqual(asNew, await EntriesAsync(connection, transaction));

        await connection.ExecuteAsync(EmbeddedData.ReadText(Migration), transaction: transaction);

        Assert.Equal(asNew, await EntriesAsync(connection, transaction));
    }

    [Fact]
    public async Task On_a_new_database_the_migration_changes_nothing()
    {
        await using var connection = await OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var before = await EntriesAsync(connection, transaction);

        await connection.ExecuteAsync(EmbeddedData.ReadText(Migration), transaction: transaction);

        Assert.Equal(before, await EntriesAsync(connection, transaction));
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        _ = factory.Services; // starts the app: the database is created, migrated and loaded
        var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<Entry>> EntriesAsync(SqliteConnection connection, SqliteTransaction transaction) =>
        (await connection.QueryAsync<Entry>(
            "SELECT list AS List, parent AS Parent, code AS Code, label AS Label, description AS Description, ordinal AS Ordinal FROM code_list_entry ORDER BY ordinal",
            transaction: transaction)).ToList();

    private sealed record Entry(string List, string Parent, string Code, string Label, string Description, long Ordinal);
}

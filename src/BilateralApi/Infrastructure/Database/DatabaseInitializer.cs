using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using Dapper;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Options;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Brings the database file up to date at start-up: creates it, sets its persistent pragmas, applies
/// the DbUp migrations that have not run yet, and on the first start loads the seed dataset.
/// </summary>
public sealed class DatabaseInitializer(
    SqliteConnectionFactory connections,
    IOptions<DatabaseOptions> options,
    SeedLoader seedLoader,
    CountryCatalog countries,
    CodeListCatalog codes,
    CommodityCatalog commodities,
    ILogger<DatabaseInitializer> logger)
{
    private const string SeedStateKey = "seed.state";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(connections.DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(SqliteDialect.DatabasePragmas, cancellationToken: cancellationToken));
        }

        Migrate();
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await countries.LoadAsync(connection, cancellationToken);
            await codes.LoadAsync(connection, cancellationToken);
            await commodities.LoadAsync(connection, cancellationToken);
        }
        await SeedOnceAsync(cancellationToken);
    }

    private void Migrate()
    {
        var engine = DeployChanges.To
            .SqliteDatabase(SqliteDialect.MigrationConnectionString(connections.DatabasePath))
            .WithScripts(Migrations())
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();

        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Database migration '{result.ErrorScript?.Name}' failed.", result.Error);
        }
        foreach (var script in result.Scripts)
        {
            logger.LogInformation("Applied migration {Migration}", script.Name);
        }
    }

    /// <summary>The ordered migrations: SQL files embedded from Migrations/ and the code migrations.</summary>
    public static IEnumerable<SqlScript> Migrations()
    {
        var scripts = EmbeddedData.Names("Migrations.")
            .Select(name => new SqlScript(name["Migrations.".Length..], EmbeddedData.ReadText(name)))
            .ToList();
        scripts.Add(new LazySqlScript(ReferenceDataScript.Name, ReferenceDataScript.BuildSql));
        return scripts.OrderBy(s => s.Name, StringComparer.Ordinal);
    }

    private async Task SeedOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var state = await scope.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM app_meta WHERE key = @key", new { key = SeedStateKey }, scope.Transaction, cancellationToken: cancellationToken));
        if (state is not null)
        {
            return;
        }

        string newState;
        if (options.Value.Seed)
        {
            var counts = await seedLoader.LoadAsync(scope, cancellationToken);
            logger.LogInformation("Loaded the seed dataset: {Counts}", counts);
            newState = "loaded";
        }
        else
        {
            newState = "skipped";
        }
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO app_meta (key, value) VALUES (@key, @value)", new { key = SeedStateKey, value = newState }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
    }
}

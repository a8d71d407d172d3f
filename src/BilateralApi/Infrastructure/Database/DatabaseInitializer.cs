using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using Dapper;
using Microsoft.Extensions.Options;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Brings the database up to date at start-up, on whichever store: the store's migrations
/// (<see cref="IStoreSchema"/>), the reference-data caches, and on the first start the seed dataset.
/// </summary>
public sealed class DatabaseInitializer(
    IStoreSchema schema,
    IStoreConnections connections,
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
        foreach (var script in await schema.MigrateAsync(cancellationToken))
        {
            logger.LogInformation("Applied migration {Migration}", script);
        }
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            await countries.LoadAsync(connection, cancellationToken);
            await codes.LoadAsync(connection, cancellationToken);
            await commodities.LoadAsync(connection, cancellationToken);
        }
        await SeedOnceAsync(cancellationToken);
    }

    /// <summary>
    /// Loads the seed dataset once per database, under the write lock: of several instances starting together on
    /// one database, the first loads it and the others find the state it recorded.
    /// </summary>
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

using BilateralApi.Querying;
using BilateralApi.TradeRecords;
using Dapper;
using DbUp;
using DbUp.Engine;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>The SQLite store's services: the embedded file's connections, its schema and its list executor.</summary>
public static class SqliteStore
{
    public static IServiceCollection AddSqliteStore(this IServiceCollection services)
    {
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<IStoreConnections>(sp => sp.GetRequiredService<SqliteConnectionFactory>());
        services.AddSingleton<IReadConnections>(sp => new ReadConnections(sp.GetRequiredService<SqliteConnectionFactory>()));
        services.AddSingleton<IStoreSchema, SqliteSchema>();
        services.AddSingleton<IListExecutor, SqliteListExecutor>();
        services.AddSingleton<ITradeImportStore, SqliteTradeImportStore>();
        return services;
    }
}

/// <summary>
/// The SQLite file's schema: creates the file's directory, sets the persistent pragmas (WAL), then applies the
/// DbUp migrations embedded from Migrations/ and the reference data script.
/// </summary>
public sealed class SqliteSchema(SqliteConnectionFactory connections) : IStoreSchema
{
    public IEnumerable<string> MigrationNames => Migrations().Select(m => m.Name);

    /// <summary>The ordered migrations: SQL files embedded from Migrations/ and the reference data script.</summary>
    public static IEnumerable<SqlScript> Migrations()
    {
        var scripts = EmbeddedData.Names("Migrations.")
            .Select(name => new SqlScript(name["Migrations.".Length..], EmbeddedData.ReadText(name)))
            .ToList();
        scripts.Add(new LazySqlScript(ReferenceDataScript.Name, ReferenceDataScript.BuildSql));
        return scripts.OrderBy(s => s.Name, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
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
        return [.. result.Scripts.Select(s => s.Name)];
    }
}

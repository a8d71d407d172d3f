using BilateralApi.Querying;
using BilateralApi.TradeRecords;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>
/// The PostgreSQL store's services: one <see cref="PostgresConnections"/> (Npgsql's pool) on the primary, another on
/// the read replica when one is given (<c>--read-db</c>), and the schema's migrations.
/// </summary>
public static class PostgresStore
{
    /// <summary>The service key of the replica's connections.</summary>
    public const string ReadKey = "read";

    public static IServiceCollection AddPostgresStore(this IServiceCollection services, StoreLocation primary, StoreLocation? replica)
    {
        services.AddSingleton(_ => new PostgresConnections(primary.Value));
        services.AddSingleton<IStoreConnections>(sp => sp.GetRequiredService<PostgresConnections>());
        services.AddKeyedSingleton(ReadKey, (sp, _) => replica is null ? sp.GetRequiredService<PostgresConnections>() : new PostgresConnections(replica.Value));
        services.AddSingleton<IReadConnections>(sp => new ReadConnections(sp.GetRequiredKeyedService<PostgresConnections>(ReadKey)));
        services.AddSingleton<IStoreSchema>(_ => new PostgresSchema(primary.Value));
        services.AddSingleton<IListExecutor, PostgresListExecutor>();
        services.AddSingleton<ITradeImportStore, PostgresTradeImportStore>();
        return services;
    }
}

/// <summary>The PostgreSQL database's schema: <see cref="PostgresMigrator"/> under its advisory lock.</summary>
public sealed class PostgresSchema(string connectionString) : IStoreSchema
{
    public IEnumerable<string> MigrationNames => PostgresMigrator.Migrations().Select(m => m.Name);

    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken) =>
        PostgresMigrator.MigrateAsync(connectionString, cancellationToken);
}

using BilateralApi.Infrastructure.Database.Postgres;
using BilateralApi.Infrastructure.Database.Sqlite;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Chooses the store from <see cref="DatabaseOptions.Path"/> (<c>--db</c>, <c>BILATERAL_DB</c>): a file path is
/// SQLite, a PostgreSQL URL or connection string is PostgreSQL (<see cref="StoreLocation"/>). Everything that
/// differs between the stores is registered by the store's own class in its folder (Sqlite/SqliteStore.cs,
/// Postgres/PostgresStore.cs); a third store adds a folder and a line here.
/// </summary>
public static class StoreServices
{
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var location = options.Location;
        var replica = options.ReadReplicaLocation;
        if (replica is not null && (location.Kind != StoreKind.Postgres || replica.Kind != StoreKind.Postgres))
        {
            throw new InvalidStoreLocationException("A read replica (--read-db) is a PostgreSQL database beside a PostgreSQL primary (--db).");
        }
        return location.Kind switch
        {
            StoreKind.Sqlite => services.AddSqliteStore(),
            StoreKind.Postgres => services.AddPostgresStore(location, replica),
            _ => throw new ArgumentOutOfRangeException(nameof(configuration), location.Kind, "Unknown store."),
        };
    }
}

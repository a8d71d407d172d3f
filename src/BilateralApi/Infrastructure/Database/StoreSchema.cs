namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// A store's schema at start-up: brings the database up to date with the store's own migrations (each store has
/// its scripts, kept equal by the schema parity test) and names them for the readiness check.
/// </summary>
public interface IStoreSchema
{
    /// <summary>The store's migration script names, in order.</summary>
    IEnumerable<string> MigrationNames { get; }

    /// <summary>Applies the migrations not yet applied; returns their names.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken);
}

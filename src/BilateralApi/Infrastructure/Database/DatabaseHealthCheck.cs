using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Ready when the database answers and every migration this build knows for its store has been applied. Both stores
/// journal their scripts in DbUp's <c>schemaversions</c> table; <paramref name="migrations"/> are the store's script
/// names (<see cref="IStoreSchema.MigrationNames"/>: <see cref="Sqlite.SqliteSchema.Migrations"/> or <see cref="Postgres.PostgresMigrator.Migrations"/>).
/// </summary>
public sealed class DatabaseHealthCheck(IStoreConnections connections, IEnumerable<string> migrations) : IHealthCheck
{
    private readonly string[] _migrations = [.. migrations];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var applied = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT ScriptName FROM schemaversions", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
            var missing = _migrations.Count(n => !applied.Contains(n));
            return missing == 0
                ? HealthCheckResult.Healthy("The database answers and all migrations are applied.")
                : HealthCheckResult.Unhealthy($"{missing} migration(s) not applied.");
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}

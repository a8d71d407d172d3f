using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BilateralApi.Infrastructure.Database;

/// <summary>Ready when the database answers and every migration this build knows has been applied.</summary>
public sealed class DatabaseHealthCheck(SqliteConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var applied = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT ScriptName FROM schemaversions", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
            var missing = DatabaseInitializer.Migrations().Select(m => m.Name).Where(n => !applied.Contains(n)).ToList();
            return missing.Count == 0
                ? HealthCheckResult.Healthy("The database answers and all migrations are applied.")
                : HealthCheckResult.Unhealthy($"{missing.Count} migration(s) not applied.");
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}

using Dapper;
using DbUp;
using DbUp.Engine;
using Npgsql;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>
/// Brings a PostgreSQL database up to date: the scripts in Postgres/Migrations (the SQLite schema
/// translated, decision 0035) and the reference data, run by DbUp's PostgreSQL provider, which journals
/// them in the database's <c>schemaversions</c> table. Several instances may start together on one
/// database: each takes a session-level advisory lock first, so one migrates while the others wait and
/// then find nothing left to run.
/// </summary>
public static class PostgresMigrator
{
    /// <summary>
    /// The advisory lock key of migrations ("BilatMig" in ASCII). Advisory locks are per database, so
    /// databases on one server never wait for each other.
    /// </summary>
    public const long LockKey = 0x42696C61744D6967;

    private const string ResourcePrefix = "PostgresMigrations.";

    /// <summary>The ordered scripts: the embedded SQL files and the reference data, under the names SQLite's journal uses.</summary>
    public static IEnumerable<SqlScript> Migrations()
    {
        var scripts = EmbeddedData.Names(ResourcePrefix)
            .Select(name => new SqlScript(name[ResourcePrefix.Length..], EmbeddedData.ReadText(name)))
            .ToList();
        // The reference data's INSERTs are plain SQL, the same script in both stores.
        scripts.Add(new LazySqlScript(ReferenceDataScript.Name, ReferenceDataScript.BuildSql));
        return scripts.OrderBy(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Applies the scripts not yet journaled, under the advisory lock; returns their names (none when up to date).</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        // The lock lives as long as this session; Pooling=false so that closing it ends the session and
        // releases the lock even if the explicit unlock below never runs.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await using var lockConnection = new NpgsqlConnection(lockConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await lockConnection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = LockKey }, cancellationToken: cancellationToken));
        try
        {
            var engine = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScripts(Migrations())
                .WithTransactionPerScript()
                // Scripts hold no DbUp $variables$; PostgreSQL's $$ quoting must reach the server as written.
                .WithVariablesDisabled()
                .LogToNowhere()
                .Build();
            // DbUp's upgrade is synchronous; it runs off the caller's thread so a host's start-up stays responsive.
            var result = await Task.Run(engine.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException($"PostgreSQL migration '{result.ErrorScript?.Name}' failed.", result.Error);
            }
            return result.Scripts.Select(s => s.Name).ToList();
        }
        finally
        {
            await lockConnection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = LockKey }, cancellationToken: CancellationToken.None));
        }
    }
}

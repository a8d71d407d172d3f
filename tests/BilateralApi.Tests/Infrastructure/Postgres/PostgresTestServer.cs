using Dapper;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BilateralApi.Tests.Infrastructure.Postgres;

/// <summary>
/// The PostgreSQL server the tests run against: the connection string in BILATERAL_TEST_POSTGRES (tests/postgres/cluster.sh
/// starts one and prints it; .ci/run does so). Without one, a test calling <see cref="CreateDatabaseAsync"/> reports itself
/// skipped with the reason; with BILATERAL_REQUIRE_POSTGRES=1 (CI) it fails instead, so CI never passes without them.
/// Each test gets a database of its own, created here and dropped when disposed.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "BILATERAL_TEST_POSTGRES";
    public const string RequireVariable = "BILATERAL_REQUIRE_POSTGRES";
    public const string NoServer = "no PostgreSQL server: set BILATERAL_TEST_POSTGRES (see README)";

    /// <summary>Null when the server answers, else why not: asked once per test run, so a missing server costs one time-out.</summary>
    public static readonly Lazy<Task<string?>> Unavailable = new(ProbeAsync);

    private static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>A new, empty database on the server (skips or fails the test when there is no server, see above).</summary>
    public static async Task<PostgresTestDatabase> CreateDatabaseAsync(string createOptions = "")
    {
        if (await Unavailable.Value is { } reason)
        {
            if (Required)
            {
                throw new XunitException($"{RequireVariable}=1, but {reason}");
            }
            Skip.If(true, reason);
        }
        var name = "bilateral_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {name} {createOptions}");
        }
        return new PostgresTestDatabase(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString, name, ConnectionString!);
    }

    /// <summary>
    /// A new database with every migration applied: a copy of a template migrated once per test run (CREATE DATABASE
    /// … TEMPLATE copies files, far faster than migrating each database), dropped when the process exits.
    /// </summary>
    public static async Task<PostgresTestDatabase> CreateMigratedDatabaseAsync()
    {
        var template = await Template.Value;
        return await CreateDatabaseAsync($"TEMPLATE {template}");
    }

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private static async Task<string> CreateTemplateAsync()
    {
        var database = await CreateDatabaseAsync();
        // No pooled connection may stay on a template, or copying it fails ("being accessed by other users").
        var unpooled = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString;
        await BilateralApi.Infrastructure.Database.Postgres.PostgresMigrator.MigrateAsync(unpooled, CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return database.Name;
    }

    private static async Task<string?> ProbeAsync()
    {
        if (ConnectionString is not { } connectionString)
        {
            return NoServer;
        }
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
        }
        catch (ArgumentException ex)
        {
            return $"{Variable} is not an Npgsql connection string: {ex.Message}";
        }
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return $"no PostgreSQL server answers at {builder.Host}:{builder.Port} ({Variable}): {ex.Message}";
        }
    }
}

/// <summary>A database of one test; disposing drops it, closing whatever connections are still open on it.</summary>
public sealed class PostgresTestDatabase(string connectionString, string name, string serverConnectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public string Name { get; } = name;

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        await using var admin = new NpgsqlConnection(serverConnectionString);
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}

/// <summary>The tests that need the PostgreSQL server; the collection says once, in the run's output, why they do not run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerNotice>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// Prints the reason the PostgreSQL tests are skipped as an xUnit diagnostic message (xunit.runner.json turns them on),
/// since `dotnet test` shows a skipped test's name but not its reason at its default verbosity.
/// </summary>
public sealed class PostgresServerNotice
{
    public PostgresServerNotice(IMessageSink messages)
    {
        // Collection fixtures are built synchronously; the probe has no synchronization context to deadlock on.
        if (Task.Run(() => PostgresTestServer.Unavailable.Value).GetAwaiter().GetResult() is { } reason)
        {
            messages.OnMessage(new DiagnosticMessage($"PostgreSQL tests not run: {reason}"));
        }
    }
}

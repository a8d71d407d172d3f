using System.Data.Common;
using System.Net.Http.Headers;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Tests.Infrastructure.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The real HTTP pipeline over a fresh database of its own: a SQLite file, or in the PostgreSQL pass
/// (<see cref="TestRun.OnPostgres"/>) a PostgreSQL database created for this factory and dropped with it. With
/// <see cref="Seed"/> false the database holds reference data only, so tests arrange exactly the records they need.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bilateral-tests", Guid.NewGuid().ToString("N"));
    private PostgresTestDatabase? _postgres;

    /// <summary>The SQLite file (SQLite pass only: a test that reads it is about SQLite).</summary>
    public string DatabasePath => TestRun.OnPostgres
        ? throw new InvalidOperationException("The PostgreSQL pass has no database file; use DatabaseLocation or OpenConnectionAsync.")
        : Path.Combine(_directory, "test.db");

    /// <summary>The database as --db names it: the SQLite file's path, or the PostgreSQL database's connection string.</summary>
    public string DatabaseLocation => TestRun.OnPostgres ? Postgres.ConnectionString : DatabasePath;

    private PostgresTestDatabase Postgres => _postgres ??= Task.Run(() => PostgresTestServer.CreateMigratedDatabaseAsync()).GetAwaiter().GetResult();

    /// <summary>A connection of the app's own store (the host is started first): for arranging or reading rows directly.</summary>
    public Task<DbConnection> OpenConnectionAsync() => Services.GetRequiredService<IStoreConnections>().OpenAsync(CancellationToken.None);

    /// <summary>Connections of their own on this database, as a restarted or second process of the API would have.</summary>
    public IStoreConnections NewInstanceConnections() => TestRun.OnPostgres
        ? new BilateralApi.Infrastructure.Database.Postgres.PostgresConnections(Postgres.ConnectionString)
        : new BilateralApi.Infrastructure.Database.Sqlite.SqliteConnectionFactory(Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { Path = DatabasePath }));

    protected virtual bool Seed => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Path", DatabaseLocation);
        builder.UseSetting("Database:Seed", Seed ? "true" : "false");
        // Tests must never be throttled by the default budgets; RateLimitTests uses tight ones of its own.
        builder.UseSetting("RateLimits:Reads:PermitLimit", "1000000");
        builder.UseSetting("RateLimits:Writes:PermitLimit", "1000000");
        builder.UseSetting("RateLimits:Bulk:PermitLimit", "1000000");
        // Nor queued behind the expensive-query lane by wall-clock time on a busy machine; QueryLaneTests
        // drives a lane of its own with a clock that counts work.
        builder.UseSetting("Querying:ExpensiveLane:AfterMilliseconds", "600000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Extra settings of a derived factory.</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings => [];

    /// <summary>
    /// Creates an API key through the same store the <c>keys create</c> command uses, and returns it
    /// (the host is started first, so the database exists and is migrated).
    /// </summary>
    public string CreateKey(params string[] scopes)
    {
        var store = Services.GetRequiredService<BilateralApi.Infrastructure.Security.ApiKeyStore>();
        // Task.Run: test constructors run under xUnit's synchronization context.
        return Task.Run(() => store.CreateAsync("tests", scopes, CancellationToken.None)).GetAwaiter().GetResult().Key;
    }

    /// <summary>A client that sends a key with every scope (write, import, admin) as a Bearer token.</summary>
    public HttpClient CreateWriterClient(WebApplicationFactoryClientOptions? options = null)
    {
        var client = options is null ? CreateClient() : CreateClient(options);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _writerKey ??= CreateKey("write", "import", "admin"));
        return client;
    }

    private string? _writerKey;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            if (_postgres is { } postgres)
            {
                Task.Run(() => postgres.DisposeAsync().AsTask()).GetAwaiter().GetResult();
            }
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS temp cleaner; never fail a test run on it.
            }
        }
    }
}

/// <summary>The same pipeline over a database that loaded the curated seed dataset.</summary>
public sealed class SeededApiFactory : ApiFactory
{
    protected override bool Seed => true;
}

public static class HttpAssertions
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Asserts a problem+json answer with the status and code, and returns its body.</summary>
    public static async Task<System.Text.Json.JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("traceId").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite", body, StringComparison.OrdinalIgnoreCase);
        return json;
    }

    /// <summary>The messages of one field in a problem's 'errors'.</summary>
    public static string[] FieldErrors(this System.Text.Json.JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var messages)
            ? messages.EnumerateArray().Select(m => m.GetString()!).ToArray()
            : throw new Xunit.Sdk.XunitException($"No error for '{field}' in {problem.GetProperty("errors")}");

    public static HttpRequestMessage WithIfMatch(this HttpRequestMessage request, string etag)
    {
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return request;
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace BilateralApi.Tests.Security;

/// <summary>Captures every log message of the host, to prove keys never reach the log.</summary>
public sealed class LogCapturingApiFactory : ApiFactory
{
    public ConcurrentQueue<string> Messages { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingProvider(Messages)));
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> messages) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(messages);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception) + " " + state + " " + exception);
    }
}

public sealed class ApiKeyTests(LogCapturingApiFactory factory) : IClassFixture<LogCapturingApiFactory>
{
    private HttpClient Client(string? bearer = null, string? apiKeyHeader = null)
    {
        var client = factory.CreateClient();
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (apiKeyHeader is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKeyHeader);
        }
        return client;
    }

    [Fact]
    public async Task Writes_without_a_key_are_401_problems_with_a_bearer_challenge()
    {
        var response = await Client().PostAsync("/v1/sources", Json.Body(Bodies.Source("no-key-source")));

        await response.AssertProblemAsync(401, "unauthorized");
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync("/v1/sources/no-key-source")).StatusCode);
    }

    [Fact]
    public async Task The_401_is_the_same_whether_or_not_the_target_exists()
    {
        var writer = factory.CreateWriterClient();
        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsync("/v1/sources", Json.Body(Bodies.Source("existing-for-401")))).StatusCode);

        var existing = await Client("bk_0000000000000000_wrong").DeleteAsync("/v1/sources/existing-for-401");
        var missing = await Client("bk_0000000000000000_wrong").DeleteAsync("/v1/sources/never-existed-401");

        var a = await existing.AssertProblemAsync(401, "unauthorized");
        var b = await missing.AssertProblemAsync(401, "unauthorized");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.Equal(existing.Headers.WwwAuthenticate.ToString(), missing.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Unknown_malformed_and_revoked_keys_are_401()
    {
        var key = factory.CreateKey("write");
        Assert.Equal(HttpStatusCode.Created, (await Client(key).PostAsync("/v1/sources", Json.Body(Bodies.Source("before-revoke")))).StatusCode);

        var id = key.Substring(3, 16);
        var store = (BilateralApi.Infrastructure.Security.ApiKeyStore)factory.Services.GetService(typeof(BilateralApi.Infrastructure.Security.ApiKeyStore))!;
        Assert.True(await store.RevokeAsync(id, CancellationToken.None));

        await (await Client(key).PostAsync("/v1/sources", Json.Body(Bodies.Source("after-revoke")))).AssertProblemAsync(401, "unauthorized");
        await (await Client("garbage").PostAsync("/v1/sources", Json.Body(Bodies.Source("garbage-key")))).AssertProblemAsync(401, "unauthorized");
        await (await Client(key[..^2] + "xx").PostAsync("/v1/sources", Json.Body(Bodies.Source("tampered-key")))).AssertProblemAsync(401, "unauthorized");
    }

    [Fact]
    public async Task A_key_without_the_scope_is_403_and_admin_may_do_everything()
    {
        var importOnly = factory.CreateKey("import");
        var forbidden = await Client(importOnly).PostAsync("/v1/sources", Json.Body(Bodies.Source("import-only")));
        var problem = await forbidden.AssertProblemAsync(403, "forbidden");
        Assert.Contains("write", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var admin = factory.CreateKey("admin");
        Assert.Equal(HttpStatusCode.Created, (await Client(admin).PostAsync("/v1/sources", Json.Body(Bodies.Source("admin-made")))).StatusCode);
    }

    [Fact]
    public async Task The_key_is_taken_from_X_Api_Key_too_but_never_from_the_query_string()
    {
        var key = factory.CreateKey("write");

        Assert.Equal(HttpStatusCode.Created, (await Client(apiKeyHeader: key).PostAsync("/v1/sources", Json.Body(Bodies.Source("via-header")))).StatusCode);
        await (await Client().PostAsync($"/v1/sources?api_key={key}", Json.Body(Bodies.Source("via-query")))).AssertProblemAsync(401, "unauthorized");
        await (await Client().PostAsync($"/v1/sources?access_token={key}", Json.Body(Bodies.Source("via-query-2")))).AssertProblemAsync(401, "unauthorized");
    }

    [Fact]
    public async Task Keys_are_stored_only_as_salted_hashes_and_never_logged()
    {
        var key = factory.CreateKey("write");
        var secret = key[20..];
        await Client(key).PostAsync("/v1/sources", Json.Body(Bodies.Source("logged-or-not")));
        await Client(apiKeyHeader: key + "x").PostAsync("/v1/sources", Json.Body(Bodies.Source("logged-or-not-2")));

        await using var connection = await factory.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string Id, byte[] Salt, byte[] Hash, string Name, string Scopes)>(
            "SELECT id, salt, hash, name, scopes FROM api_key")).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(32, r.Hash.Length));
        Assert.Equal(rows.Count, rows.Select(r => Convert.ToHexString(r.Salt)).Distinct().Count());
        var dump = string.Join("|", rows.Select(r => $"{r.Id}{r.Name}{r.Scopes}{Convert.ToBase64String(r.Hash)}{System.Text.Encoding.UTF8.GetString(r.Hash)}"));
        Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);

        Assert.NotEmpty(factory.Messages);
        Assert.DoesNotContain(factory.Messages, m => m.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reads_are_public_even_with_a_bad_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client().GetAsync("/v1/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client("bk_0000000000000000_wrong").GetAsync("/v1/countries/AZE")).StatusCode);
    }
}

/// <summary>Security:PublicReads=false: every /v1 request needs a valid key.</summary>
public sealed class PrivateReadsFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings => [("Security:PublicReads", "false")];
}

public sealed class PrivateReadsTests(PrivateReadsFactory factory) : IClassFixture<PrivateReadsFactory>
{
    [Fact]
    public async Task Reads_need_a_key_when_configured_so()
    {
        await (await factory.CreateClient().GetAsync("/v1/countries/AZE")).AssertProblemAsync(401, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateWriterClient().GetAsync("/v1/countries/AZE")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/live")).StatusCode);
    }
}

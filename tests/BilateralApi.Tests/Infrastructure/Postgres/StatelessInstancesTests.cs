using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;

namespace BilateralApi.Tests.Infrastructure.Postgres;

/// <summary>
/// Two API processes on one PostgreSQL database behave as one service: started together they migrate it once;
/// a key made by the keys command works on both; an ETag from one is honoured by the other; an Idempotency-Key
/// replay hits on either; a cursor from one pages on the other.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StatelessInstancesTests : IDisposable
{
    private readonly ApiProcesses _processes = new();

    [SkippableFact]
    public async Task Two_instances_on_one_database_behave_as_one_service()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        var (a, b) = (ApiProcesses.FreePort(), ApiProcesses.FreePort());
        // Started together on the empty database; each logs the migrations it applies.
        string[] Serve(int port) => ["--db", database.ConnectionString, "--urls", $"http://127.0.0.1:{port}", "--no-seed", "--Logging:LogLevel:BilateralApi=Information"];
        var first = _processes.Start(Serve(a));
        var second = _processes.Start(Serve(b));
        using var one = Client(a);
        using var other = Client(b);
        await Task.WhenAll(ApiProcesses.WaitReadyAsync(one), ApiProcesses.WaitReadyAsync(other));

        // Migrations ran once: every script journaled once, and only one process applied any.
        await using (var connection = await database.OpenAsync())
        {
            var journal = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
            Assert.Equal(journal.Distinct().Count(), journal.Count);
            Assert.NotEmpty(journal);
        }
        var applied = new[] { first, second }.Select(p => _processes.Output(p).Count(l => l.Contains("Applied migration", StringComparison.Ordinal))).ToList();
        Assert.Contains(0, applied);
        Assert.Contains(applied, n => n > 0);

        // A key from the keys command (on the same database) works on both instances.
        var key = (await _processes.RunAsync("keys", "create", "--name", "two-instances", "--scopes", "write", "--db", database.ConnectionString)).Trim();
        one.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // An ETag from one instance is honoured by the other; the stale one is refused by the first.
        var created = await one.PutAsync("/v1/sources/two-instances-a", Json.Body(Source("Made on one")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var etag = created.Headers.ETag!.ToString();
        var read = await other.GetAsync("/v1/sources/two-instances-a");
        Assert.Equal(etag, read.Headers.ETag!.ToString());
        var replaced = await other.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/v1/sources/two-instances-a") { Content = Json.Body(Source("Changed on the other")) }.WithIfMatch(etag));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var stale = await one.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/v1/sources/two-instances-a") { Content = Json.Body(Source("Stale")) }.WithIfMatch(etag));
        await stale.AssertProblemAsync(412, "preconditionFailed");

        // An Idempotency-Key claimed on one instance replays on the other.
        var post = await one.SendAsync(Post("two-instances-key"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var replay = await other.SendAsync(Post("two-instances-key"));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await post.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(post.Headers.Location, replay.Headers.Location);

        // A cursor from one instance pages on the other.
        var page1 = JsonDocument.Parse(await one.GetStringAsync("/v1/sources?limit=1")).RootElement;
        var cursor = page1.GetProperty("page").GetProperty("nextCursor").GetString();
        var page2Response = await other.GetAsync($"/v1/sources?limit=1&cursor={Uri.EscapeDataString(cursor!)}");
        Assert.Equal(HttpStatusCode.OK, page2Response.StatusCode);
        var page2 = JsonDocument.Parse(await page2Response.Content.ReadAsStringAsync()).RootElement;
        Assert.NotEqual(page1.GetProperty("items")[0].GetProperty("id").GetString(), page2.GetProperty("items")[0].GetProperty("id").GetString());
    }

    private static HttpClient Client(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

    private static HttpRequestMessage Post(string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sources") { Content = Json.Body(Source("Posted once")) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private static object Source(string title) => new
    {
        type = "news", publisher = "Two Instances", title, publishedOn = "2024", retrievedOn = "2026-12-02", reliability = "C",
    };

    public void Dispose() => _processes.Dispose();
}

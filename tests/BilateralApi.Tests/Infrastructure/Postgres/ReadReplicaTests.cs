using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;

namespace BilateralApi.Tests.Infrastructure.Postgres;

/// <summary>
/// --read-db: lists read the replica, while writes and item reads (whose ETag a following If-Match uses) go to the
/// primary. Two separate databases stand for primary and replica, so where each read went shows in what it sees.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReadReplicaTests : IDisposable
{
    private readonly ApiProcesses _processes = new();

    [SkippableFact]
    public async Task Lists_read_the_replica_and_writes_and_item_reads_the_primary()
    {
        await using var primary = await PostgresTestServer.CreateDatabaseAsync();
        await using var replica = await PostgresTestServer.CreateMigratedDatabaseAsync();
        var port = ApiProcesses.FreePort();
        _processes.Start("--db", primary.ConnectionString, "--read-db", replica.ConnectionString, "--urls", $"http://127.0.0.1:{port}", "--no-seed");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        await ApiProcesses.WaitReadyAsync(client);
        var key = (await _processes.RunAsync("keys", "create", "--name", "replica", "--scopes", "write", "--db", primary.ConnectionString)).Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var created = await client.PutAsync("/v1/sources/on-the-primary", Json.Body(new
        {
            type = "news", publisher = "Primary", title = "Written to the primary", publishedOn = "2024", retrievedOn = "2026-12-02", reliability = "C",
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/sources/on-the-primary")).StatusCode);
        Assert.Empty(await ListedIdsAsync(client));

        // The replica's own row (as replication would bring it) is what the list shows.
        await using (var connection = await replica.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO source (id, type, reliability, created_at, updated_at, version) VALUES ('on-the-replica', 'news', 'C', '2026-12-02T00:00:00Z', '2026-12-02T00:00:00Z', 1)");
        }
        Assert.Equal(["on-the-replica"], await ListedIdsAsync(client));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/sources/on-the-replica")).StatusCode);
    }

    [Fact]
    public async Task A_replica_beside_a_sqlite_file_is_refused_with_a_message_before_the_server_starts()
    {
        var (exitCode, _, error) = await _processes.RunToExitAsync(
            "--db", Path.Combine(_processes.Directory, "api.db"), "--read-db", "postgres://reader:secret@127.0.0.1:1/replica", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, exitCode);
        Assert.Contains("read replica", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ListedIdsAsync(HttpClient client) =>
        [.. JsonDocument.Parse(await client.GetStringAsync("/v1/sources")).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    public void Dispose() => _processes.Dispose();
}

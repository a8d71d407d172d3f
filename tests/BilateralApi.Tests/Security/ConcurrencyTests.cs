using System.Net;
using BilateralApi.Tests.Infrastructure;
using Dapper;

namespace BilateralApi.Tests.Security;

/// <summary>
/// Many writers at once through the real HTTP pipeline: no lost update, no duplicate, no 500 and no
/// "database is locked" reaching a client.
/// </summary>
public sealed class ConcurrencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Writers = 24;
    private readonly HttpClient _client = factory.CreateWriterClient();

    private static async Task AssertHealthyAsync(IEnumerable<HttpResponseMessage> responses)
    {
        foreach (var response in responses)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {body}");
            Assert.DoesNotContain("locked", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await factory.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Fact]
    public async Task Parallel_edits_of_one_record_with_the_same_if_match_let_exactly_one_win()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PutAsync("/v1/sources/contended", Json.Body(Bodies.Source("contended", "Original")))).StatusCode);

        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async i =>
        {
            using var request = new HttpRequestMessage(i % 2 == 0 ? HttpMethod.Put : HttpMethod.Patch, "/v1/sources/contended")
            {
                Content = i % 2 == 0
                    ? Json.Body(Bodies.Source("contended", $"Writer {i}"))
                    : Json.Body($$"""{ "title": "Writer {{i}}" }""", "application/merge-patch+json"),
            };
            return await _client.SendAsync(request.WithIfMatch("\"1\""));
        }));

        await AssertHealthyAsync(responses);
        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r != winner), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        Assert.Equal("\"2\"", winner.Headers.ETag?.Tag);
        var stored = await _client.GetJsonAsync("/v1/sources/contended");
        Assert.Equal(2, stored.GetProperty("version").GetInt64());
        Assert.Equal((await winner.ReadJsonAsync()).GetProperty("title").GetString(), stored.GetProperty("title").GetString());
        Assert.Equal(2, await ScalarAsync("SELECT COUNT(*) FROM change_log WHERE resource = 'sources' AND record_id = 'contended'"));
    }

    [Fact]
    public async Task Successive_rounds_each_advance_the_version_by_exactly_one()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PutAsync("/v1/sources/rounds", Json.Body(Bodies.Source("rounds")))).StatusCode);

        for (var version = 1; version <= 4; version++)
        {
            var etag = $"\"{version}\"";
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Patch, "/v1/sources/rounds")
                {
                    Content = Json.Body($$"""{ "notes": "round {{version}} writer {{i}}" }""", "application/merge-patch+json"),
                };
                return await _client.SendAsync(request.WithIfMatch(etag));
            }));
            await AssertHealthyAsync(responses);
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        }

        Assert.Equal(5, (await _client.GetJsonAsync("/v1/sources/rounds")).GetProperty("version").GetInt64());
        Assert.Equal([1L, 2L, 3L, 4L, 5L], (await _client.GetJsonAsync("/v1/sources/rounds/history"))
            .GetProperty("items").EnumerateArray().Select(e => e.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Parallel_creates_of_distinct_records_all_land()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            _client.PostAsync("/v1/sources", Json.Body(Bodies.Source($"parallel-{i:00}", $"Parallel {i}")))));

        await AssertHealthyAsync(responses);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(Writers, await ScalarAsync("SELECT COUNT(*) FROM source WHERE id LIKE 'parallel-%'"));
        Assert.Equal(Writers, await ScalarAsync("SELECT COUNT(*) FROM change_log WHERE record_id LIKE 'parallel-%' AND action = 'create' AND version = 1"));
    }

    [Fact]
    public async Task Parallel_creates_deriving_the_same_slug_get_distinct_ids()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            _client.PostAsync("/v1/sources", Json.Body(Bodies.Source(null, "Same title everywhere")))));

        await AssertHealthyAsync(responses);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(12, responses.Select(r => r.Headers.Location!.OriginalString).Distinct().Count());
    }

    [Fact]
    public async Task Parallel_posts_with_the_same_idempotency_key_write_once()
    {
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sources") { Content = Json.Body(Bodies.Source(null, "Exactly once")) };
            request.Headers.Add("Idempotency-Key", key);
            return await _client.SendAsync(request);
        }));

        await AssertHealthyAsync(responses);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Single(created, r => !r.Headers.Contains("Idempotent-Replayed"));
        Assert.All(created, r => Assert.Equal("/v1/sources/exactly-once", r.Headers.Location?.OriginalString));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.AssertProblemAsync(409, "idempotencyKeyInUse");
            Assert.NotNull(conflict.Headers.RetryAfter);
        }
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM source WHERE title = 'Exactly once'"));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Changes;

public sealed class ChangeFeedTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    private async Task<List<JsonElement>> AllChangesAsync(string query)
    {
        var items = new List<JsonElement>();
        string? next = $"/v1/changes?{query}";
        while (next is not null)
        {
            var page = await _client.GetJsonAsync(next);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        return items;
    }

    [Fact]
    public async Task Create_update_and_delete_are_in_the_feed_with_key_version_and_tombstone()
    {
        var before = (await AllChangesAsync("resource=sources")).Select(c => c.GetProperty("seq").GetInt64()).DefaultIfEmpty(0).Max();

        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/v1/sources", Json.Body(Bodies.Source("feed-source")))).StatusCode);
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, "/v1/sources/feed-source") { Content = Json.Body("""{ "author": "Staff" }""", "application/merge-patch+json") })
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(patch.WithIfMatch("\"1\""))).StatusCode);
        }
        using (var stale = new HttpRequestMessage(HttpMethod.Delete, "/v1/sources/feed-source"))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(stale.WithIfMatch("\"1\""))).StatusCode);
        }
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/sources/feed-source"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete.WithIfMatch("\"2\""))).StatusCode);
        }

        var changes = (await AllChangesAsync($"since={before}&resource=sources&limit=1"))
            .Where(c => c.GetProperty("id").GetString() == "feed-source").ToList();
        Assert.Equal(["create", "update", "delete"], changes.Select(c => c.GetProperty("action").GetString()));
        Assert.Equal([1L, 2L, 2L], changes.Select(c => c.GetProperty("version").GetInt64()));
        var keyId = _client.DefaultRequestHeaders.Authorization!.Parameter!.Substring(3, 16);
        Assert.All(changes, c => Assert.Equal(keyId, c.GetProperty("keyId").GetString()));
        Assert.Equal("Staff", changes[1].GetProperty("data").GetProperty("author").GetString());
        Assert.Equal(2, changes[1].GetProperty("data").GetProperty("version").GetInt64());
        Assert.False(changes[2].TryGetProperty("data", out _));
        Assert.True(changes[0].GetProperty("seq").GetInt64() < changes[1].GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task History_lists_every_stored_version_including_deleted_ones()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PutAsync("/v1/sources/history-source", Json.Body(Bodies.Source("history-source", "First title")))).StatusCode);
        using (var put = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/history-source") { Content = Json.Body(Bodies.Source("history-source", "Second title")) })
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(put.WithIfMatch("\"1\""))).StatusCode);
        }
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/sources/history-source"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete.WithIfMatch("\"2\""))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/sources/history-source")).StatusCode);

        var history = await _client.GetJsonAsync("/v1/sources/history-source/history");

        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal("First title", items[0].GetProperty("data").GetProperty("title").GetString());
        Assert.Equal("Second title", items[1].GetProperty("data").GetProperty("title").GetString());
        Assert.Equal("delete", items[2].GetProperty("action").GetString());
        await (await _client.GetAsync("/v1/sources/never-was-here/history")).AssertProblemAsync(404, "notFound");
    }

    [Fact]
    public async Task A_put_or_patch_that_changes_nothing_keeps_the_version_and_logs_nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PutAsync("/v1/sources/same-source", Json.Body(Bodies.Source("same-source", "Same title")))).StatusCode);
        using (var put = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/same-source") { Content = Json.Body(Bodies.Source("same-source", "Same title")) })
        {
            var response = await _client.SendAsync(put.WithIfMatch("\"1\""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
            Assert.Equal(1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt64());
        }
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, "/v1/sources/same-source") { Content = Json.Body("""{ "title": "Same title" }""", "application/merge-patch+json") })
        {
            var response = await _client.SendAsync(patch.WithIfMatch("\"1\""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        }
        // A real change still makes a version, and an If-Match of an old version is still refused.
        using (var put = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/same-source") { Content = Json.Body(Bodies.Source("same-source", "Other title")) })
        {
            Assert.Equal("\"2\"", (await _client.SendAsync(put.WithIfMatch("\"1\""))).Headers.ETag?.ToString());
        }
        using (var stale = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/same-source") { Content = Json.Body(Bodies.Source("same-source", "Other title")) })
        {
            await (await _client.SendAsync(stale.WithIfMatch("\"1\""))).AssertProblemAsync(412, "preconditionFailed");
        }

        var history = (await _client.GetJsonAsync("/v1/sources/same-source/history")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["create", "update"], history.Select(i => i.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Trade_record_writes_are_logged_under_their_integer_id()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/v1/sources", Json.Body(Bodies.Source("trade-history-source")))).StatusCode);
        var response = await _client.PostAsync("/v1/trade-records", Json.Body(new
        {
            reporter = "AZE", partner = "ISR", year = 2021, month = (int?)null, flow = "X", hs = "27",
            transportMode = 0, valueUsd = 100.5m, netWeightKg = (decimal?)null, quantity = (decimal?)null, quantityUnit = (string?)null,
            valueBasis = "FOB", estimated = false, sourceId = "trade-history-source",
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.ReadJsonAsync()).GetProperty("id").GetInt64();

        // The same record PUT again (the value written with another scale) is no new version and no log entry.
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/trade-records/{id}") { Content = Json.Body(new
        {
            reporter = "AZ", partner = "ISR", year = 2021, month = (int?)null, flow = "X", hs = "27",
            transportMode = 0, valueUsd = 100.50m, netWeightKg = (decimal?)null, quantity = (decimal?)null, quantityUnit = (string?)null,
            valueBasis = "FOB", estimated = false, sourceId = "trade-history-source",
        }) })
        {
            var same = await _client.SendAsync(put.WithIfMatch("\"1\""));
            Assert.True(same.StatusCode == HttpStatusCode.OK, await same.Content.ReadAsStringAsync());
            Assert.Equal("\"1\"", same.Headers.ETag?.ToString());
        }

        var history = await _client.GetJsonAsync($"/v1/trade-records/{id}/history");

        var entry = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("create", entry.GetProperty("action").GetString());
        Assert.Equal(100.5m, entry.GetProperty("data").GetProperty("valueUsd").GetDecimal());
    }

    [Theory]
    [InlineData("since=abc")]
    [InlineData("limit=0")]
    [InlineData("resource=countries")]
    public async Task Bad_feed_parameters_are_400(string query)
    {
        await (await _client.GetAsync($"/v1/changes?{query}")).AssertProblemAsync(400, "invalidParameter");
    }


    [Fact]
    public async Task Lists_carry_a_weak_etag_that_changes_with_the_data()
    {
        var first = await _client.GetAsync("/v1/sources");
        var etag = first.Headers.ETag!;
        Assert.True(etag.IsWeak);

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/sources"))
        {
            conditional.Headers.IfNoneMatch.Add(etag);
            var notModified = await _client.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(etag, notModified.Headers.ETag);
        }

        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/v1/sources", Json.Body(Bodies.Source("etag-changer")))).StatusCode);

        using var after = new HttpRequestMessage(HttpMethod.Get, "/v1/sources");
        after.Headers.IfNoneMatch.Add(etag);
        var changed = await _client.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        // A weak list tag never satisfies If-Match on an item.
        using var put = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/etag-changer") { Content = Json.Body(Bodies.Source("etag-changer")) };
        put.Headers.IfMatch.Add(changed.Headers.ETag!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(put)).StatusCode);
    }
}

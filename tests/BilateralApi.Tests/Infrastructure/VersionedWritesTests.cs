using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Security;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The four curated resources write through one protocol: the same answers to the same sequence of
/// writes, and exactly one change-log entry per change, at the version the answer's ETag names, holding
/// what a GET then serves.
/// </summary>
public sealed class VersionedWritesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    // The bodies of VersionContinuityTests cite this source.
    private const string SourceId = "version-continuity-source";

    private readonly HttpClient _client = factory.CreateWriterClient();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? body, string? ifMatch, HttpStatusCode expected, bool ifNoneMatch = false)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Json.Body(body) };
        if (ifMatch is not null)
        {
            request.WithIfMatch(ifMatch);
        }
        if (ifNoneMatch)
        {
            request.Headers.IfNoneMatch.Add(System.Net.Http.Headers.EntityTagHeaderValue.Any);
        }
        var response = await _client.SendAsync(request);
        Assert.True(expected == response.StatusCode, $"{method} {url}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    [Theory]
    [MemberData(nameof(VersionContinuityTests.Resources), MemberType = typeof(VersionContinuityTests))]
    public async Task Every_curated_resource_answers_the_same_protocol_and_logs_each_change_once(string resource)
    {
        await _client.EnsureSourceAsync(SourceId);
        var id = $"versioned-writes-{resource}";
        var url = $"/v1/{resource}/{id}";
        string Body(string variant) => VersionContinuityTests.Body(resource, id, variant).ToJsonString();

        // PUT creates (create-only with If-None-Match: *), and a second create-only PUT is refused.
        var created = await SendAsync(HttpMethod.Put, url, Body("a"), null, HttpStatusCode.Created, ifNoneMatch: true);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        await SendAsync(HttpMethod.Put, url, Body("a"), null, HttpStatusCode.PreconditionFailed, ifNoneMatch: true);
        // Replacing needs If-Match; the same content is no new version; a change is the next one; a stale ETag is refused.
        await SendAsync(HttpMethod.Put, url, Body("b"), null, HttpStatusCode.PreconditionRequired);
        Assert.Equal("\"1\"", (await SendAsync(HttpMethod.Put, url, Body("a"), "\"1\"", HttpStatusCode.OK)).Headers.ETag?.Tag);
        var updated = await SendAsync(HttpMethod.Put, url, Body("b"), "\"1\"", HttpStatusCode.OK);
        Assert.Equal("\"2\"", updated.Headers.ETag?.Tag);
        await SendAsync(HttpMethod.Put, url, Body("c"), "\"1\"", HttpStatusCode.PreconditionFailed);
        var served = JsonDocument.Parse(await _client.GetStringAsync(url)).RootElement;
        Assert.True(JsonElement.DeepEquals(served, JsonDocument.Parse(await updated.Content.ReadAsStringAsync()).RootElement), "the PUT answers what a GET serves");
        // Deleting needs the current ETag too.
        await SendAsync(HttpMethod.Delete, url, null, "\"1\"", HttpStatusCode.PreconditionFailed);
        await SendAsync(HttpMethod.Delete, url, null, "\"2\"", HttpStatusCode.NoContent);
        await SendAsync(HttpMethod.Delete, url, null, "\"2\"", HttpStatusCode.NotFound);

        var history = (await _client.GetJsonAsync($"{url}/history")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([("create", 1L), ("update", 2L), ("delete", 2L)], history.Select(i => (i.GetProperty("action").GetString()!, i.GetProperty("version").GetInt64())));
        Assert.True(JsonElement.DeepEquals(served, history[1].GetProperty("data")), "the change log holds the record as served");
        Assert.False(history[2].TryGetProperty("data", out _), "a delete is a tombstone");
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Changes;

/// <summary>The list tests of ChangeFeedTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class ChangeFeedTests
{
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

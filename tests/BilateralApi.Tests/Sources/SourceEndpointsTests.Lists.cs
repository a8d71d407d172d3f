using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Sources;

/// <summary>The list tests of SourceEndpointsTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class SourceEndpointsTests
{
    [Fact]
    public async Task List_filters_by_type_and_pages_with_a_cursor_bound_to_the_filters()
    {
        for (var i = 0; i < 5; i++)
        {
            var source = NewSource($"list-source-{i}");
            await _client.PostAsync("/v1/sources", Json.Body(source));
        }
        await _client.PostAsync("/v1/sources", Json.Body(new
        {
            id = "list-other-type", type = "academic", author = (string?)null, publisher = (string?)null, title = "Paper",
            url = (string?)null, publishedOn = (string?)null, retrievedOn = (string?)null, reliability = "C", licence = (string?)null, notes = (string?)null,
        }));

        var ids = new List<string>();
        string? next = "/v1/sources?type=news&limit=2";
        while (next is not null)
        {
            var response = await _client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadJsonAsync();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            Assert.Equal(next is not null, response.Headers.Contains("Link"));
        }

        Assert.DoesNotContain("list-other-type", ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Superset(new HashSet<string>(Enumerable.Range(0, 5).Select(i => $"list-source-{i}")), ids.ToHashSet());

        var firstPage = await _client.GetJsonAsync("/v1/sources?type=news&limit=2");
        var cursor = firstPage.GetProperty("page").GetProperty("nextCursor").GetString();
        var reused = await _client.GetAsync($"/v1/sources?type=academic&limit=2&cursor={cursor}");
        Assert.Contains("other filters", (await reused.AssertProblemAsync(400, "invalidParameter")).FieldErrors("cursor")[0], StringComparison.Ordinal);
    }
}

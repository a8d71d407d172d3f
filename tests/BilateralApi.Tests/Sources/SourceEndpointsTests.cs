using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Sources;

public sealed class SourceEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    private static object NewSource(string? id, string title = "Azerbaijan opens embassy in Israel") => new
    {
        id,
        type = "news",
        author = (string?)null,
        publisher = "Trend",
        title,
        url = "https://en.trend.az/azerbaijan/politics/3729421.html",
        publishedOn = "2023-03-29",
        retrievedOn = "2026-11-27",
        reliability = "B",
        licence = (string?)null,
        notes = (string?)null,
    };

    [Fact]
    public async Task Post_without_id_derives_one_from_the_title_and_returns_201_with_location_and_etag()
    {
        var response = await _client.PostAsync("/v1/sources", Json.Body(NewSource(null, "Ünique Títle: for slug")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/v1/sources/unique-title-for-slug", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var body = await response.ReadJsonAsync();
        Assert.Equal("unique-title-for-slug", body.GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.Equal("B", body.GetProperty("reliability").GetString());
    }

    [Fact]
    public async Task Post_with_an_existing_id_is_409_alreadyExists()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/v1/sources", Json.Body(NewSource("dup-source")))).StatusCode);

        var again = await _client.PostAsync("/v1/sources", Json.Body(NewSource("dup-source")));

        await again.AssertProblemAsync(409, "alreadyExists");
    }

    [Fact]
    public async Task Get_returns_etag_and_304_for_a_current_if_none_match()
    {
        await _client.PostAsync("/v1/sources", Json.Body(NewSource("etag-source")));

        var first = await _client.GetAsync("/v1/sources/etag-source");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/sources/etag-source");
        conditional.Headers.IfNoneMatch.Add(etag);
        var second = await _client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag.Tag, second.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Get_unknown_id_is_404_problem()
    {
        var response = await _client.GetAsync("/v1/sources/no-such-source");

        var problem = await response.AssertProblemAsync(404, "notFound");
        Assert.Equal("/v1/sources/no-such-source", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Put_creates_then_replacing_needs_if_match_and_rejects_stale_versions()
    {
        var created = await _client.PutAsync("/v1/sources/put-source", Json.Body(NewSource(null)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var withoutIfMatch = await _client.PutAsync("/v1/sources/put-source", Json.Body(NewSource(null, "New title")));
        await withoutIfMatch.AssertProblemAsync(428, "preconditionRequired");

        using var replace = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/put-source") { Content = Json.Body(NewSource(null, "New title")) };
        var replaced = await _client.SendAsync(replace.WithIfMatch("\"1\""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);
        Assert.Equal("New title", (await replaced.ReadJsonAsync()).GetProperty("title").GetString());

        using var stale = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/put-source") { Content = Json.Body(NewSource(null, "Lost update")) };
        await (await _client.SendAsync(stale.WithIfMatch("\"1\""))).AssertProblemAsync(412, "preconditionFailed");

        var current = await _client.GetJsonAsync("/v1/sources/put-source");
        Assert.Equal("New title", current.GetProperty("title").GetString());
        Assert.Equal(2, current.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Put_with_if_none_match_star_is_create_only()
    {
        using var first = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/create-only") { Content = Json.Body(NewSource(null)) };
        first.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(first)).StatusCode);

        using var second = new HttpRequestMessage(HttpMethod.Put, "/v1/sources/create-only") { Content = Json.Body(NewSource(null)) };
        second.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        await (await _client.SendAsync(second)).AssertProblemAsync(412, "preconditionFailed");
    }

    [Fact]
    public async Task Put_with_a_body_id_other_than_the_path_is_400()
    {
        var response = await _client.PutAsync("/v1/sources/path-id", Json.Body(NewSource("body-id")));

        var problem = await response.AssertProblemAsync(400, "validationFailed");
        Assert.Contains("differs", problem.FieldErrors("id")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_merges_fields_removes_nulls_and_bumps_the_version()
    {
        await _client.PostAsync("/v1/sources", Json.Body(NewSource("patch-source")));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/v1/sources/patch-source")
        {
            Content = Json.Body("""{ "title": "Patched", "publisher": null }""", "application/merge-patch+json"),
        };
        var response = await _client.SendAsync(patch.WithIfMatch("\"1\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Patched", body.GetProperty("title").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("publisher").ValueKind);
        Assert.Equal("news", body.GetProperty("type").GetString());
        Assert.Equal(2, body.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Patch_that_makes_the_record_invalid_or_adds_unknown_members_is_400_and_changes_nothing()
    {
        await _client.PostAsync("/v1/sources", Json.Body(NewSource("patch-invalid")));

        using var invalid = new HttpRequestMessage(HttpMethod.Patch, "/v1/sources/patch-invalid")
        {
            Content = Json.Body("""{ "reliability": "Z" }""", "application/merge-patch+json"),
        };
        var problem = await (await _client.SendAsync(invalid.WithIfMatch("\"1\""))).AssertProblemAsync(400, "validationFailed");
        Assert.Contains("reliability", problem.FieldErrors("reliability")[0], StringComparison.Ordinal);

        using var unknown = new HttpRequestMessage(HttpMethod.Patch, "/v1/sources/patch-invalid")
        {
            Content = Json.Body("""{ "colour": "red" }""", "application/merge-patch+json"),
        };
        var unknownProblem = await (await _client.SendAsync(unknown.WithIfMatch("\"1\""))).AssertProblemAsync(400, "validationFailed");
        Assert.NotEmpty(unknownProblem.FieldErrors("colour"));

        Assert.Equal(1, (await _client.GetJsonAsync("/v1/sources/patch-invalid")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Patch_with_plain_json_is_415()
    {
        await _client.PostAsync("/v1/sources", Json.Body(NewSource("patch-media")));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/v1/sources/patch-media") { Content = Json.Body("""{ "title": "x" }""") };

        await (await _client.SendAsync(patch.WithIfMatch("\"1\""))).AssertProblemAsync(415, "unsupportedMediaType");
    }

    [Fact]
    public async Task Delete_needs_if_match_then_removes_the_record()
    {
        await _client.PostAsync("/v1/sources", Json.Body(NewSource("delete-source")));

        await (await _client.DeleteAsync("/v1/sources/delete-source")).AssertProblemAsync(428, "preconditionRequired");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/sources/delete-source");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete.WithIfMatch("\"1\""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/sources/delete-source")).StatusCode);
    }


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

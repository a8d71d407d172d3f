using System.Net;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.CodeLists;

public sealed class CodeListListTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Code_lists_come_in_the_page_envelope_and_pages_walk_every_list_once_in_name_order()
    {
        var all = await _client.GetJsonAsync("/v1/codelists?limit=500");
        var names = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToList();
        Assert.Contains("eventType", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.False(all.GetProperty("page").TryGetProperty("nextCursor", out _));

        var walked = new List<string>();
        for (string? next = "/v1/codelists?limit=3"; next is not null;)
        {
            var page = await _client.GetJsonAsync(next);
            Assert.Equal(3, page.GetProperty("page").GetProperty("limit").GetInt32());
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        Assert.Equal(names, walked);
    }

    [Fact]
    public async Task Code_lists_export_as_csv_and_carry_a_collection_etag()
    {
        var response = await _client.GetAsync("/v1/codelists?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("name,count,href", lines[0]);
        Assert.Contains("eventType,", string.Join('\n', lines), StringComparison.Ordinal);

        var json = await _client.GetAsync("/v1/codelists");
        Assert.NotNull(json.Headers.ETag);
    }

    [Fact]
    public async Task Code_lists_take_the_query_language()
    {
        var big = await _client.GetJsonAsync("/v1/codelists?" + "filter=" + Uri.EscapeDataString("count gt 30") + "&sort=-count&count=exact");
        var items = big.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["eventMode", "eventContext"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal([67, 37], items.Select(i => i.GetProperty("count").GetInt32()));
        Assert.Equal(2, big.GetProperty("page").GetProperty("total").GetInt32());

        var named = await _client.GetJsonAsync("/v1/codelists?name=subject,eventType&fields=name");
        Assert.Equal(["eventType", "subject"], named.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.All(named.GetProperty("items").EnumerateArray(), i => Assert.Single(i.EnumerateObject()));

        using var head = new HttpRequestMessage(HttpMethod.Head, "/v1/codelists?limit=1&count=exact");
        var response = await _client.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(int.Parse(response.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture) > 20);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("format=xml", "format")]
    public async Task Bad_paging_is_a_problem(string query, string field)
    {
        var problem = await (await _client.GetAsync($"/v1/codelists?{query}")).AssertProblemAsync(400, "invalidParameter");
        Assert.NotEmpty(problem.FieldErrors(field));
    }
}

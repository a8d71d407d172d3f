using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Dyads;

/// <summary>The list tests of DyadTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class DyadTests
{
    [Fact]
    public async Task Timeline_sorts_by_earliest_day_with_year_before_month_before_day()
    {
        var client = await fixture.ClientAsync();

        Assert.Equal(ExpectedOrder, await WalkAsync(client, "/v1/dyads/FRA/DEU/timeline"));
    }

    [Fact]
    public async Task Timeline_pages_return_every_item_once_in_order_and_the_pair_is_unordered()
    {
        var client = await fixture.ClientAsync();

        Assert.Equal(ExpectedOrder, await WalkAsync(client, "/v1/dyads/FRA/DEU/timeline?limit=2"));
        Assert.Equal(ExpectedOrder, await WalkAsync(client, "/v1/dyads/DE/250/timeline?limit=3"));
    }

    [Theory]
    [InlineData("kind=agreement", new[] { "agreement:ag-day-2023:signed", "agreement:ag-day-2023:validUntil" })]
    [InlineData("subject=education", new[] { "agreement:ag-day-2023:signed", "agreement:ag-day-2023:validUntil" })]
    [InlineData("type=ACCUSE,agreement", new[] { "agreement:ag-day-2023:signed", "event:ev-later-2023-02-10:", "agreement:ag-day-2023:validUntil" })]
    [InlineData("date=2023-02", new[] { "event:ev-year-2023:", "event:ev-later-2023-02-10:" })]
    [InlineData("kind=!agreement&date=..2022", new[] { "event:ev-2022-12-31:" })]
    public async Task Timeline_filters(string query, string[] expected)
    {
        var client = await fixture.ClientAsync();

        Assert.Equal(expected, await WalkAsync(client, $"/v1/dyads/FRA/DEU/timeline?{query}"));
    }

    // A field an item does not have (events: milestone, status; agreements: quad) is NULL: any-of never
    // matches it and none-of keeps it, as on every list.
    [Theory]
    [InlineData("milestone=validUntil", new[] { "agreement:ag-day-2023:validUntil" })]
    [InlineData("kind=agreement&milestone=!validUntil", new[] { "agreement:ag-day-2023:signed" })]
    [InlineData("milestone=!signed&date=2023-01-01", new[] { "event:ev-year-2023:", "event:ev-month-2023-01:", "event:ev-day-2023-01-01:" })]
    [InlineData("status=signed", new[] { "agreement:ag-day-2023:signed", "agreement:ag-day-2023:validUntil" })]
    [InlineData("quad=4", new string[0])]
    [InlineData("quad=3", new[] { "event:ev-later-2023-02-10:" })]
    [InlineData("quad=!1", new[] { "agreement:ag-day-2023:signed", "event:ev-later-2023-02-10:", "agreement:ag-day-2023:validUntil" })]
    public async Task Timeline_filters_by_milestone_status_and_quad(string query, string[] expected)
    {
        var client = await fixture.ClientAsync();

        Assert.Equal(expected, await WalkAsync(client, $"/v1/dyads/FRA/DEU/timeline?{query}"));
    }

    [Theory]
    [InlineData("filter=kind eq 'event' and quad ge 3", new[] { "event:ev-later-2023-02-10:" })]
    [InlineData("filter=milestone eq 'validUntil' or id eq 'ev-year-2023'", new[] { "event:ev-year-2023:", "agreement:ag-day-2023:validUntil" })]
    [InlineData("filter=subjects eq 'education' and milestone eq 'signed'", new[] { "agreement:ag-day-2023:signed" })]
    [InlineData("filter=startswith(title, 'Education') or type eq 'CONSULT'", new[] { "event:ev-month-2023-01:", "agreement:ag-day-2023:signed", "agreement:ag-day-2023:validUntil" })]
    [InlineData("filter=date lt '2023'", new[] { "event:ev-2022-12-31:" })]
    // Items of the same earliest day are tied on date: the key breaks the tie in the direction of the last sort key.
    [InlineData("sort=-date&kind=event", new[] { "event:ev-later-2023-02-10:", "event:ev-year-2023:", "event:ev-month-2023-01:", "event:ev-day-2023-01-01:", "event:ev-2022-12-31:" })]
    [InlineData("sort=title,key&kind=agreement", new[] { "agreement:ag-day-2023:signed", "agreement:ag-day-2023:validUntil" })]
    [InlineData("sort=-key&date=2023-02", new[] { "event:ev-year-2023:", "event:ev-later-2023-02-10:" })]
    public async Task Timeline_takes_the_query_language(string query, string[] expected)
    {
        var client = await fixture.ClientAsync();

        Assert.Equal(expected, await WalkAsync(client, $"/v1/dyads/FRA/DEU/timeline?limit=1&{query.Replace(" ", "%20", StringComparison.Ordinal).Replace("'", "%27", StringComparison.Ordinal)}"));
    }

    [Theory]
    [InlineData("q=education", new[] { "agreement:ag-day-2023:signed", "agreement:ag-day-2023:validUntil" })]
    [InlineData("q=Event%20ev-later", new[] { "event:ev-later-2023-02-10:" })]
    // sort=date ties on the same earliest day are broken by key (the precision order is the default order's).
    [InlineData("q=event&searchFields=title&kind=event&date=2023-01", new[] { "event:ev-day-2023-01-01:", "event:ev-month-2023-01:", "event:ev-year-2023:" })]
    [InlineData("q=nothing-like-this", new string[0])]
    public async Task Timeline_searches_the_text_of_its_agreements_and_events(string query, string[] expected)
    {
        var client = await fixture.ClientAsync();

        Assert.Equal(expected, await WalkAsync(client, $"/v1/dyads/FRA/DEU/timeline?{query}&sort=date"));
        var ranked = await WalkAsync(client, $"/v1/dyads/FRA/DEU/timeline?{query}&limit=1");
        Assert.Equal(expected.Order(StringComparer.Ordinal), ranked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Timeline_keys_are_unique_and_name_the_item()
    {
        var client = await fixture.ClientAsync();
        var items = (await client.GetJsonAsync("/v1/dyads/FRA/DEU/timeline?limit=500")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(items.Count, items.Select(i => i.GetProperty("key").GetString()).Distinct().Count());
        Assert.Contains(items, i => i.GetProperty("key").GetString() == "agreement/ag-day-2023/signed");
        Assert.Contains(items, i => i.GetProperty("key").GetString() == "event/ev-year-2023");
    }

    [Fact]
    public async Task Timeline_fields_facets_and_counts()
    {
        var client = await fixture.ClientAsync();
        var response = await client.GetAsync("/v1/dyads/FRA/DEU/timeline?fields=key,date&facet=kind,milestone,date:year,subjects&count=exact&limit=2");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("7", response.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(7, body.GetProperty("page").GetProperty("total").GetInt32());
        Assert.All(body.GetProperty("items").EnumerateArray(), i => Assert.Equal(["date", "key"], i.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        var facets = body.GetProperty("facets");
        Assert.Equal([("event", 5), ("agreement", 2)], Counts(facets.GetProperty("kind")));
        Assert.Equal([(null, 5), ("signed", 1), ("validUntil", 1)], Counts(facets.GetProperty("milestone")));
        Assert.Equal([("2023", 5), ("2022", 1), ("2024", 1)], Counts(facets.GetProperty("date:year")));
        Assert.Contains(("education", 2), Counts(facets.GetProperty("subjects")));
    }

    [Fact]
    public async Task Timeline_answers_head_with_the_headers_of_get()
    {
        var client = await fixture.ClientAsync();
        using var head = new HttpRequestMessage(HttpMethod.Head, "/v1/dyads/FRA/DEU/timeline?limit=2&count=exact");
        var response = await client.SendAsync(head);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("X-Total-Count").Single());
        Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Timeline_items_link_to_their_records()
    {
        var client = await fixture.ClientAsync();
        var page = await client.GetJsonAsync("/v1/dyads/FRA/DEU/timeline?limit=500");

        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var response = await client.GetAsync(item.GetProperty("href").GetString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_cursor_from_other_filters_is_refused()
    {
        var client = await fixture.ClientAsync();
        var first = await client.GetJsonAsync("/v1/dyads/FRA/DEU/timeline?limit=1");
        var cursor = first.GetProperty("page").GetProperty("nextCursor").GetString();

        await (await client.GetAsync($"/v1/dyads/FRA/DEU/timeline?limit=1&kind=event&cursor={cursor}")).AssertProblemAsync(400, "invalidParameter");
    }

    [Fact]
    public async Task Timeline_csv_export_has_the_documented_flat_columns_in_timeline_order()
    {
        var client = await fixture.ClientAsync();
        var response = await client.GetAsync("/v1/dyads/FRA/DEU/timeline?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("kind,id,milestone,date.value,date.precision,date.to,date.inferred,title,type,status,quad,key,href", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(ExpectedOrder, rows.Select(r => $"{r[0]}:{r[1]}:{r[2]}"));
        var signed = rows.Single(r => r[0] == "agreement" && r[2] == "signed");
        Assert.Equal("day", signed[4]);
        Assert.Equal("/v1/agreements/ag-day-2023", signed[^1]);
        Assert.Contains(rows, r => r[1] == "ev-year-2023" && r[3] == "2023" && r[4] == "year");
    }

    [Theory]
    [InlineData("")]
    [InlineData("kind=agreement")]
    [InlineData("type=ACCUSE,agreement")]
    [InlineData("kind=!agreement&date=..2022")]
    public async Task Timeline_ndjson_export_equals_the_walked_pages(string query)
    {
        var client = await fixture.ClientAsync();
        var walked = await WalkAsync(client, $"/v1/dyads/FRA/DEU/timeline?limit=2&{query}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/dyads/DEU/FRA/timeline?{query}");
        request.Headers.Accept.ParseAdd("application/x-ndjson");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var exported = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Key(JsonDocument.Parse(l).RootElement)).ToList();
        Assert.Equal(walked, exported);
        var first = await client.GetJsonAsync($"/v1/dyads/FRA/DEU/timeline?limit=500&{query}");
        Assert.Equal(first.GetProperty("items").EnumerateArray().Select(i => i.GetRawText()),
            body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetRawText()));
    }

    [Fact]
    public async Task Timeline_export_with_a_cursor_starts_after_it_and_ignores_the_page_limit()
    {
        var client = await fixture.ClientAsync();
        var first = await client.GetJsonAsync("/v1/dyads/FRA/DEU/timeline?limit=2");
        var cursor = first.GetProperty("page").GetProperty("nextCursor").GetString()!;
        var body = await client.GetStringAsync($"/v1/dyads/FRA/DEU/timeline?format=ndjson&limit=1&cursor={Uri.EscapeDataString(cursor)}");

        Assert.Equal(ExpectedOrder.Skip(2), body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Key(JsonDocument.Parse(l).RootElement)));
    }

    [Fact]
    public async Task The_timeline_carries_the_collection_etag()
    {
        var client = await fixture.ClientAsync();
        var response = await client.GetAsync("/v1/dyads/FRA/DEU/timeline");

        Assert.NotNull(response.Headers.ETag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/dyads/FRA/DEU/timeline");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task An_empty_timeline_export_still_has_the_header()
    {
        var client = await fixture.ClientAsync();
        var csv = await client.GetStringAsync("/v1/dyads/FRA/DEU/timeline?format=csv&date=1900");

        Assert.Equal(["kind,id,milestone,date.value,date.precision,date.to,date.inferred,title,type,status,quad,key,href"], csv.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

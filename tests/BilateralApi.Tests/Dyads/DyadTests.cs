using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Dyads;

/// <summary>The dyad views over a small arranged relationship between France and Germany.</summary>
public sealed class DyadTests(DyadTests.Fixture fixture) : IClassFixture<DyadTests.Fixture>
{
    private const string Source = "dyad-test-source";

    public sealed class Fixture : ApiFactory
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private HttpClient? _client;

        public async Task<HttpClient> ClientAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_client is null)
                {
                    var client = CreateWriterClient();
                    await ArrangeAsync(client);
                    _client = client;
                }
                return _client;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private static async Task ArrangeAsync(HttpClient client)
    {
        await client.EnsureSourceAsync(Source);
        // Dates chosen so that year-, month- and day-dated items share the earliest day 2023-01-01.
        (string Id, string Date, string Type, string Actor, string Recipient)[] events =
        [
            ("ev-2022-12-31", "2022-12-31", "SUPPORT", "FRA", "DEU"),
            ("ev-year-2023", "2023", "SUPPORT", "FRA", "DEU"),
            ("ev-month-2023-01", "2023-01", "CONSULT", "FRA", "DEU"),
            ("ev-day-2023-01-01", "2023-01-01", "AGREE", "FRA", "DEU"),
            ("ev-later-2023-02-10", "2023-02-10", "ACCUSE", "DEU", "FRA"),
            ("ev-other-pair", "2023-01-01", "ASSAULT", "FRA", "ITA"),
        ];
        foreach (var e in events)
        {
            var response = await client.PostAsync("/v1/events", Json.Body(EventData.Event(e.Id, Source, $"Event {e.Id}", e.Date, e.Type, e.Actor, e.Recipient).ToJsonString()));
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        var agreement = await client.PostAsync("/v1/agreements", Json.Body(new Dictionary<string, object?>
        {
            ["id"] = "ag-day-2023",
            ["title"] = "Education agreement",
            ["shortTitle"] = null,
            ["type"] = "agreement",
            ["status"] = "signed",
            ["subjects"] = new[] { "education" },
            ["signed"] = new { value = "2023-01-01", precision = "day" },
            ["enteredIntoForce"] = null,
            ["validUntil"] = new { value = "2024", precision = "year" },
            ["ended"] = null,
            ["endedReason"] = null,
            ["place"] = null,
            ["summary"] = null,
            ["valueUsd"] = null,
            ["parentId"] = null,
            ["parentRelation"] = null,
            ["parties"] = new object[]
            {
                new { country = "FR", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
                new { country = "276", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
            },
            ["notes"] = null,
            ["citations"] = TestData.Cite(Source),
        }));
        Assert.True(agreement.StatusCode == HttpStatusCode.Created, await agreement.Content.ReadAsStringAsync());
    }

    private static readonly string[] ExpectedOrder =
    [
        "event:ev-2022-12-31:",
        "event:ev-year-2023:",
        "event:ev-month-2023-01:",
        "agreement:ag-day-2023:signed",
        "event:ev-day-2023-01-01:",
        "event:ev-later-2023-02-10:",
        "agreement:ag-day-2023:validUntil",
    ];

    private static string Key(JsonElement item) =>
        $"{item.GetProperty("kind").GetString()}:{item.GetProperty("id").GetString()}:{item.GetProperty("milestone").GetString()}";

    private static async Task<List<string>> WalkAsync(HttpClient client, string url)
    {
        var keys = new List<string>();
        for (var next = url; next is not null;)
        {
            var page = await client.GetJsonAsync(next);
            keys.AddRange(page.GetProperty("items").EnumerateArray().Select(Key));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        return keys;
    }

    private static List<(string?, int)> Counts(JsonElement facet) =>
        facet.EnumerateArray().Select(f => (f.GetProperty("value").ValueKind == JsonValueKind.Null ? null : f.GetProperty("value").ToString(), f.GetProperty("count").GetInt32())).ToList();

    [Fact]
    public async Task Cooperation_has_every_bucket_with_empty_ones_as_zeros()
    {
        var client = await fixture.ClientAsync();
        var body = await client.GetJsonAsync("/v1/dyads/FRA/DEU/cooperation?interval=year&from=2021&to=2024");

        var buckets = body.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(["2021", "2022", "2023", "2024"], buckets.Select(b => b.GetProperty("period").GetString()));
        Assert.Equal(0, buckets[0].GetProperty("events").GetInt32());
        Assert.Equal(0, buckets[0].GetProperty("netCooperationIndex").GetDouble());
        Assert.Equal(JsonValueKind.Null, buckets[0].GetProperty("meanIntensity").ValueKind);
        // 2022: SUPPORT (+5). 2023: SUPPORT +5, CONSULT +2.5, AGREE +2.5 (verbal cooperation), ACCUSE −2 (verbal conflict).
        Assert.Equal(5.0, buckets[1].GetProperty("netCooperationIndex").GetDouble());
        Assert.Equal(4, buckets[2].GetProperty("events").GetInt32());
        Assert.Equal(3, buckets[2].GetProperty("verbalCooperation").GetInt32());
        Assert.Equal(1, buckets[2].GetProperty("verbalConflict").GetInt32());
        Assert.Equal(8.0, buckets[2].GetProperty("netCooperationIndex").GetDouble());
        Assert.Equal(2.0, buckets[2].GetProperty("meanIntensity").GetDouble());
        Assert.Equal(0, buckets[3].GetProperty("events").GetInt32());
        Assert.Equal(0, body.GetProperty("unplaced").GetInt32());
    }

    [Fact]
    public async Task Cooperation_by_month_leaves_year_dated_events_unplaced_and_directed_keeps_a_to_b()
    {
        var client = await fixture.ClientAsync();
        var monthly = await client.GetJsonAsync("/v1/dyads/FRA/DEU/cooperation?interval=month&from=2023-01&to=2023-03");

        Assert.Equal([2, 1, 0], monthly.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("events").GetInt32()));
        Assert.Equal(1, monthly.GetProperty("unplaced").GetInt32());

        var directed = await client.GetJsonAsync("/v1/dyads/FRA/DEU/cooperation?interval=quarter&from=2023&to=2023&directed=true");
        Assert.Equal(["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"], directed.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("period").GetString()));
        Assert.Equal(2, directed.GetProperty("buckets")[0].GetProperty("events").GetInt32());
        Assert.Equal(0, directed.GetProperty("buckets")[0].GetProperty("verbalConflict").GetInt32());
    }

    [Fact]
    public async Task Summary_is_the_same_pair_either_way_round_and_labels_from_a()
    {
        var client = await fixture.ClientAsync();
        var ab = await client.GetJsonAsync("/v1/dyads/FRA/DEU");
        var ba = await client.GetJsonAsync("/v1/dyads/276/FR");

        Assert.Equal("FRA", ab.GetProperty("a").GetProperty("code").GetString());
        Assert.Equal("DEU", ba.GetProperty("a").GetProperty("code").GetString());
        Assert.Equal(ab.GetProperty("agreements").GetRawText(), ba.GetProperty("agreements").GetRawText());
        Assert.Equal(ab.GetProperty("events").GetRawText(), ba.GetProperty("events").GetRawText());
        Assert.Equal(5, ab.GetProperty("events").GetProperty("total").GetInt32());
        Assert.Equal("ev-2022-12-31", ab.GetProperty("events").GetProperty("first").GetProperty("id").GetString());
        Assert.Equal("ev-later-2023-02-10", ab.GetProperty("events").GetProperty("latest").GetProperty("id").GetString());
        Assert.Equal([4, 0, 1, 0], ab.GetProperty("events").GetProperty("byQuad").EnumerateArray().Select(q => q.GetProperty("count").GetInt32()));
        var education = ab.GetProperty("subjects").EnumerateArray().Single(s => s.GetProperty("subject").GetString() == "education");
        Assert.Equal(1, education.GetProperty("agreements").GetInt32());
        var source = Assert.Single(ab.GetProperty("sources").EnumerateArray());
        Assert.Equal(5, source.GetProperty("events").GetInt32());
        Assert.Equal(1, source.GetProperty("agreements").GetInt32());
        Assert.Equal("2023", ab.GetProperty("latestCooperation").GetProperty("period").GetString());
    }

    [Theory]
    [InlineData("/v1/dyads/FRA/XYZ", 404, "notFound", null)]
    [InlineData("/v1/dyads/QQ/DEU/timeline", 404, "notFound", null)]
    [InlineData("/v1/dyads/FRA/FR", 400, "invalidParameter", "b")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?kind=treaty", 400, "invalidParameter", "kind")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?type=VISIT", 400, "invalidParameter", "type")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?date=2023-13", 400, "invalidParameter", "date")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?limit=501", 400, "invalidParameter", "limit")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?cursor=abc", 400, "invalidParameter", "cursor")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?format=xml", 400, "invalidParameter", "format")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?format=csv&kind=treaty", 400, "invalidParameter", "kind")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?milestone=founded", 400, "invalidParameter", "milestone")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?status=alive", 400, "invalidParameter", "status")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?quad=5", 400, "invalidParameter", "quad")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?sort=precisionRank", 400, "invalidParameter", "sort")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?facet=title", 400, "invalidParameter", "facet")]
    [InlineData("/v1/dyads/FRA/DEU/timeline?searchFields=shortTitle&q=x", 400, "invalidParameter", "searchFields")]
    [InlineData("/v1/dyads/FRA/DEU/cooperation?interval=week", 400, "invalidParameter", "interval")]
    [InlineData("/v1/dyads/FRA/DEU/cooperation?from=2024&to=2023", 400, "invalidParameter", "to")]
    [InlineData("/v1/dyads/FRA/DEU/cooperation?from=1000&to=2100&interval=month", 400, "invalidParameter", "to")]
    [InlineData("/v1/dyads/FRA/DEU/cooperation?directed=yes", 400, "invalidParameter", "directed")]
    [InlineData("/v1/dyads/FRA/DEU?hs=27", 400, "unknownParameter", "hs")]
    public async Task Bad_input_is_a_problem(string url, int status, string code, string? field)
    {
        var client = await fixture.ClientAsync();
        var problem = await (await client.GetAsync(url)).AssertProblemAsync(status, code);

        if (field is not null)
        {
            Assert.NotEmpty(problem.FieldErrors(field));
        }
    }


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

using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Dyads;

/// <summary>The dyad views over a small arranged relationship between France and Germany.</summary>
public sealed partial class DyadTests(DyadTests.Fixture fixture) : IClassFixture<DyadTests.Fixture>
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

}

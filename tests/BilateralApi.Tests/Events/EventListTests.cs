using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;
using static BilateralApi.Tests.Events.EventData;

namespace BilateralApi.Tests.Events;

/// <summary>
/// GET /v1/events. The tests of this class share one database, so each arranges its events between
/// countries no other test uses and narrows its queries with them.
/// </summary>
public sealed class EventListTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    [Fact]
    public async Task Country_matches_either_side_and_the_location_and_pair_needs_both_participants()
    {
        await CreateSourceAsync(_client, "country-filter-source");
        var nzlFji = Event("cf-nzl-fji", "country-filter-source", actor: "NZL", recipient: "FJI");
        nzlFji["location"] = null;
        await CreateAsync(nzlFji);
        var fjiTon = Event("cf-fji-ton", "country-filter-source", actor: "FJI", recipient: "TON");
        fjiTon["location"] = null;
        await CreateAsync(fjiTon);
        var tonInNzl = Event("cf-ton-in-nzl", "country-filter-source", actor: "TON", recipient: "TON");
        tonInNzl["location"] = JsonNode.Parse("""{ "country": "NZL", "place": "Auckland" }""");
        await CreateAsync(tonInNzl);

        Assert.Equal(["cf-nzl-fji", "cf-ton-in-nzl"], await IdsAsync("/v1/events?country=NZL"));
        Assert.Equal(["cf-nzl-fji", "cf-ton-in-nzl"], await IdsAsync("/v1/events?country=NZ"));
        Assert.Equal(["cf-fji-ton", "cf-ton-in-nzl"], await IdsAsync("/v1/events?country=TON"));
        Assert.Equal(["cf-nzl-fji"], await IdsAsync("/v1/events?pair=NZL,FJI"));
        Assert.Equal(["cf-nzl-fji"], await IdsAsync("/v1/events?pair=FJ,554"));
        Assert.Empty(await IdsAsync("/v1/events?pair=TON,NZL")); // NZL is only the location there
        Assert.Equal(["cf-fji-ton"], await IdsAsync("/v1/events?country=FJI,TON&pair=FJI,TON"));
        // "None of" keeps events without a location.
        Assert.Equal(["cf-fji-ton"], await IdsAsync("/v1/events?pair=TON,TON&country=!NZL"));
    }

    [Fact]
    public async Task Type_subject_context_verification_and_quad_filter_and_negate()
    {
        await CreateSourceAsync(_client, "code-filter-source");
        var aid = Event("qf-aid", "code-filter-source", type: "AID", actor: "VUT", recipient: "SLB");
        aid["subjects"] = JsonNode.Parse("""["energy", "foodSecurity"]""");
        aid["contexts"] = JsonNode.Parse("""["economic"]""");
        await CreateAsync(aid);
        var accuse = Event("qf-accuse", "code-filter-source", type: "ACCUSE", actor: "VUT", recipient: "SLB");
        accuse["verification"] = "disputed";
        await CreateAsync(accuse);
        var assault = Event("qf-assault", "code-filter-source", type: "ASSAULT", actor: "SLB", recipient: "VUT");
        assault["subjects"] = JsonNode.Parse("""["defence"]""");
        assault["contexts"] = JsonNode.Parse("""["military", "terrorism"]""");
        await CreateAsync(assault);
        await CreateAsync(Event("qf-support", "code-filter-source", type: "SUPPORT", actor: "SLB", recipient: "VUT"));

        Assert.Equal(["qf-aid"], await IdsAsync("/v1/events?country=VUT&type=AID"));
        Assert.Equal(["qf-aid", "qf-assault"], await IdsAsync("/v1/events?country=VUT&type=AID,ASSAULT"));
        Assert.Equal(["qf-accuse", "qf-support"], await IdsAsync("/v1/events?country=VUT&type=!AID,ASSAULT"));
        Assert.Equal(["qf-aid", "qf-assault"], await IdsAsync("/v1/events?country=VUT&subject=energy,defence"));
        Assert.Equal(["qf-accuse", "qf-support"], await IdsAsync("/v1/events?country=VUT&subject=!energy,defence"));
        Assert.Equal(["qf-assault"], await IdsAsync("/v1/events?country=VUT&context=terrorism"));
        Assert.Equal(["qf-accuse"], await IdsAsync("/v1/events?country=VUT&verification=disputed"));
        Assert.Equal(["qf-aid", "qf-support"], await IdsAsync("/v1/events?country=VUT&quad=1..2"));
        Assert.Equal(["qf-accuse", "qf-assault"], await IdsAsync("/v1/events?country=VUT&quad=3,4"));
        Assert.Equal(["qf-accuse", "qf-assault", "qf-support"], await IdsAsync("/v1/events?country=VUT&quad=!2"));
    }

    [Fact]
    public async Task Date_filter_matches_partial_dates_and_ranges_by_overlap()
    {
        await CreateSourceAsync(_client, "date-filter-source");
        await CreateAsync(Event("df-year-2023", "date-filter-source", date: "2023", actor: "PLW", recipient: "FSM"));
        await CreateAsync(Event("df-month-2023-10", "date-filter-source", date: "2023-10", actor: "PLW", recipient: "FSM"));
        await CreateAsync(Event("df-day-2023-10-07", "date-filter-source", date: "2023-10-07", actor: "PLW", recipient: "FSM"));
        await CreateAsync(Event("df-day-2024-01-15", "date-filter-source", date: "2024-01-15", actor: "PLW", recipient: "FSM"));
        var range = Event("df-range-2022-12-to-2023-02", "date-filter-source", actor: "PLW", recipient: "FSM");
        range["date"] = JsonNode.Parse("""{ "value": "2022-12", "to": "2023-02" }""");
        await CreateAsync(range);

        Assert.Equal(["df-year-2023", "df-month-2023-10", "df-day-2023-10-07"], await IdsAsync("/v1/events?country=PLW&date=2023-10"));
        Assert.Equal(["df-year-2023", "df-month-2023-10"], await IdsAsync("/v1/events?country=PLW&date=2023-10-08..2023-12"));
        Assert.Equal(["df-day-2024-01-15"], await IdsAsync("/v1/events?country=PLW&date=2024"));
        Assert.Equal(["df-range-2022-12-to-2023-02"], await IdsAsync("/v1/events?country=PLW&date=..2022"));
        Assert.Equal(["df-range-2022-12-to-2023-02", "df-year-2023"], await IdsAsync("/v1/events?country=PLW&date=2023-01"));
        Assert.Equal(["df-year-2023", "df-month-2023-10", "df-day-2023-10-07", "df-day-2024-01-15"], await IdsAsync("/v1/events?country=PLW&date=2023-10-07.."));

        var stored = (await _client.GetJsonAsync("/v1/events/df-range-2022-12-to-2023-02")).GetProperty("date");
        Assert.Equal("2022-12", stored.GetProperty("value").GetString());
        Assert.Equal("2023-02", stored.GetProperty("to").GetString());
        Assert.Equal("month", stored.GetProperty("precision").GetString());
    }

    [Fact]
    public async Task Related_agreement_filter()
    {
        await CreateSourceAsync(_client, "agreement-filter-source");
        await CreateAgreementRowAsync(factory, "agreement-filter-a");
        var related = Event("af-related", "agreement-filter-source", actor: "MHL", recipient: "NRU");
        related["relatedAgreementId"] = "agreement-filter-a";
        await CreateAsync(related);
        await CreateAsync(Event("af-unrelated", "agreement-filter-source", actor: "MHL", recipient: "NRU"));

        Assert.Equal(["af-related"], await IdsAsync("/v1/events?relatedAgreementId=agreement-filter-a"));
        Assert.Equal(["af-unrelated"], await IdsAsync("/v1/events?country=MHL&relatedAgreementId=!agreement-filter-a"));
    }

    [Fact]
    public async Task A_cursor_walk_returns_every_matching_event_once_in_date_then_id_order_while_others_are_inserted()
    {
        await CreateSourceAsync(_client, "walk-source");
        string[] dates = ["2021", "2023-05-01", "2022-03", "2023-05-01", "2020-12-31", "2023-05", "2024", "2021-01-01"];
        for (var i = 0; i < dates.Length; i++)
        {
            await CreateAsync(Event($"walk-{i}", "walk-source", date: dates[i], actor: "KIR", recipient: "TUV"));
        }
        // Sort key: the earliest day a date can mean, then the id.
        var expected = dates.Select((d, i) => (Start: d.Length == 4 ? d + "-01-01" : d.Length == 7 ? d + "-01" : d, Id: $"walk-{i}"))
            .OrderBy(x => x.Start, StringComparer.Ordinal).ThenBy(x => x.Id, StringComparer.Ordinal).Select(x => x.Id).ToList();

        var seen = new List<string>();
        string? next = "/v1/events?country=KIR&limit=3";
        var pages = 0;
        while (next is not null)
        {
            var response = await _client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            Assert.Equal(next is not null, response.Headers.Contains("Link"));
            if (pages++ == 0)
            {
                // Written behind the cursor: must not show up later in this walk, nor shift what follows.
                await CreateAsync(Event("walk-early-insert", "walk-source", date: "1999", actor: "KIR", recipient: "TUV"));
            }
        }

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task List_items_carry_their_children_and_citations()
    {
        await CreateSourceAsync(_client, "children-source");
        var ev = Event("children-1", "children-source", actor: "AND", recipient: "SMR");
        ev["subjects"] = JsonNode.Parse("""["tourism", "culture"]""");
        await CreateAsync(ev);
        await CreateAsync(Event("children-2", "children-source", actor: "SMR", recipient: "AND"));

        var page = await _client.GetJsonAsync("/v1/events?pair=AND,SMR");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["culture", "tourism"], items[0].GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["SMR", "AND"], items[1].GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("country").GetString()));
        Assert.All(items, i => Assert.Equal("children-source", i.GetProperty("citations")[0].GetProperty("sourceId").GetString()));
        Assert.False(page.GetProperty("page").TryGetProperty("nextCursor", out _));
    }

    [Fact]
    public async Task Bad_filters_and_cursors_from_other_filters_are_400()
    {
        await CreateSourceAsync(_client, "bad-filter-source");
        await CreateAsync(Event("bf-1", "bad-filter-source", actor: "LIE", recipient: "MCO"));
        await CreateAsync(Event("bf-2", "bad-filter-source", actor: "LIE", recipient: "MCO"));

        var problem = await (await _client.GetAsync("/v1/events?type=HUG&quad=5&country=XX&date=2023-13&pair=AZE")).AssertProblemAsync(400, "invalidParameter");
        Assert.Contains("eventType", problem.FieldErrors("type")[0], StringComparison.Ordinal);
        Assert.NotEmpty(problem.FieldErrors("quad"));
        Assert.NotEmpty(problem.FieldErrors("country"));
        Assert.NotEmpty(problem.FieldErrors("date"));
        Assert.NotEmpty(problem.FieldErrors("pair"));

        await (await _client.GetAsync("/v1/events?colour=red")).AssertProblemAsync(400, "unknownParameter");

        var first = await _client.GetJsonAsync("/v1/events?country=LIE&limit=1");
        var cursor = first.GetProperty("page").GetProperty("nextCursor").GetString();
        var reused = await _client.GetAsync($"/v1/events?country=MCO&limit=1&cursor={cursor}");
        Assert.Contains("other filters", (await reused.AssertProblemAsync(400, "invalidParameter")).FieldErrors("cursor")[0], StringComparison.Ordinal);
    }

    private async Task CreateAsync(JsonObject ev)
    {
        var response = await _client.PostAsync("/v1/events", Json.Body(ev));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<string>> IdsAsync(string url)
    {
        var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var page = JsonDocument.Parse(body).RootElement;
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }
}

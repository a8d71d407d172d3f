using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;
using static BilateralApi.Tests.Events.EventData;

namespace BilateralApi.Tests.Events;

public sealed class EventEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    [Fact]
    public async Task Create_get_put_patch_delete_round_trip_with_etags()
    {
        await CreateSourceAsync(_client, "rt-source");

        // POST without id: the id comes from the title.
        var created = await _client.PostAsync("/v1/events", Json.Body(Event(null, "rt-source", title: "Round trip: embassy opens")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/events/round-trip-embassy-opens", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var body = await created.ReadJsonAsync();
        Assert.Equal("round-trip-embassy-opens", body.GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.Equal("2023-03-29", body.GetProperty("date").GetProperty("value").GetString());
        Assert.Equal("day", body.GetProperty("date").GetProperty("precision").GetString());
        Assert.False(body.GetProperty("date").GetProperty("inferred").GetBoolean());
        Assert.Equal(["actor", "recipient"], body.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("role").GetString()));
        Assert.Equal("rt-source", body.GetProperty("citations")[0].GetProperty("sourceId").GetString());
        Assert.Equal("Tel Aviv", body.GetProperty("location").GetProperty("place").GetString());

        // GET, and 304 for the current ETag.
        var fetched = await _client.GetAsync("/v1/events/round-trip-embassy-opens");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("\"1\"", fetched.Headers.ETag?.Tag);
        Assert.Equal(body.GetRawText(), (await fetched.ReadJsonAsync()).GetRawText());
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/events/round-trip-embassy-opens"))
        {
            conditional.Headers.IfNoneMatch.Add(fetched.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);
        }

        // PUT replaces, children included; it needs If-Match and refuses stale versions.
        var replacement = Event(null, "rt-source", title: "Round trip: replaced");
        replacement["participants"] = JsonNode.Parse("""[ { "role": "actor", "country": "ISR", "sector": null, "name": null } ]""");
        replacement["contexts"] = new JsonArray();
        await (await _client.PutAsync("/v1/events/round-trip-embassy-opens", Json.Body(replacement))).AssertProblemAsync(428, "preconditionRequired");
        using (var put = new HttpRequestMessage(HttpMethod.Put, "/v1/events/round-trip-embassy-opens") { Content = Json.Body(replacement) })
        {
            var replaced = await _client.SendAsync(put.WithIfMatch("\"1\""));
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);
            var replacedBody = await replaced.ReadJsonAsync();
            Assert.Equal("Round trip: replaced", replacedBody.GetProperty("title").GetString());
            Assert.Equal(1, replacedBody.GetProperty("participants").GetArrayLength());
            Assert.Equal(0, replacedBody.GetProperty("contexts").GetArrayLength());
            Assert.Equal(body.GetProperty("createdAt").GetString(), replacedBody.GetProperty("createdAt").GetString());
        }
        using (var stale = new HttpRequestMessage(HttpMethod.Put, "/v1/events/round-trip-embassy-opens") { Content = Json.Body(replacement) })
        {
            await (await _client.SendAsync(stale.WithIfMatch("\"1\""))).AssertProblemAsync(412, "preconditionFailed");
        }

        // PATCH merges into the stored write shape; lists are replaced whole.
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, "/v1/events/round-trip-embassy-opens")
        {
            Content = MergePatch("""{ "summary": null, "contexts": ["diplomatic", "economic"], "location": { "place": null } }"""),
        })
        {
            var patched = await _client.SendAsync(patch.WithIfMatch("\"2\""));
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            Assert.Equal("\"3\"", patched.Headers.ETag?.Tag);
            var patchedBody = await patched.ReadJsonAsync();
            Assert.Equal(JsonValueKind.Null, patchedBody.GetProperty("summary").ValueKind);
            Assert.Equal(["diplomatic", "economic"], patchedBody.GetProperty("contexts").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("ISR", patchedBody.GetProperty("location").GetProperty("country").GetString());
            Assert.Equal(JsonValueKind.Null, patchedBody.GetProperty("location").GetProperty("place").ValueKind);
            Assert.Equal("Round trip: replaced", patchedBody.GetProperty("title").GetString());
            Assert.Equal(1, patchedBody.GetProperty("citations").GetArrayLength());
        }

        // DELETE needs If-Match; afterwards the event and its citations are gone, so its source can go too.
        await (await _client.DeleteAsync("/v1/events/round-trip-embassy-opens")).AssertProblemAsync(428, "preconditionRequired");
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/events/round-trip-embassy-opens"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(delete.WithIfMatch("\"3\""))).StatusCode);
        }
        await (await _client.GetAsync("/v1/events/round-trip-embassy-opens")).AssertProblemAsync(404, "notFound");
        using (var deleteSource = new HttpRequestMessage(HttpMethod.Delete, "/v1/sources/rt-source"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(deleteSource.WithIfMatch("\"1\""))).StatusCode);
        }
    }

    [Fact]
    public async Task Post_with_an_existing_id_is_409_and_put_if_none_match_star_is_create_only()
    {
        await CreateSourceAsync(_client, "dup-event-source");
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/v1/events", Json.Body(Event("dup-event", "dup-event-source")))).StatusCode);

        await (await _client.PostAsync("/v1/events", Json.Body(Event("dup-event", "dup-event-source")))).AssertProblemAsync(409, "alreadyExists");

        using var createOnly = new HttpRequestMessage(HttpMethod.Put, "/v1/events/dup-event") { Content = Json.Body(Event(null, "dup-event-source")) };
        createOnly.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        await (await _client.SendAsync(createOnly)).AssertProblemAsync(412, "preconditionFailed");
    }

    [Fact]
    public async Task Intensity_defaults_from_mode_then_type_and_quad_is_derived_from_the_type()
    {
        await CreateSourceAsync(_client, "intensity-source");

        var cooperate = Event("intensity-cooperate", "intensity-source", type: "COOPERATE");
        var cooperateBody = await (await _client.PostAsync("/v1/events", Json.Body(cooperate))).ReadJsonAsync();
        Assert.Equal(9.5, cooperateBody.GetProperty("intensity").GetDouble());
        Assert.Equal(2, cooperateBody.GetProperty("quad").GetInt32());

        var visit = Event("intensity-visit", "intensity-source", type: "CONSULT");
        visit["mode"] = "visit";
        var visitBody = await (await _client.PostAsync("/v1/events", Json.Body(visit))).ReadJsonAsync();
        Assert.Equal(4, visitBody.GetProperty("intensity").GetDouble());
        Assert.Equal(1, visitBody.GetProperty("quad").GetInt32());

        var releaseWithoutModeDefault = Event("intensity-release", "intensity-source", type: "RETREAT");
        releaseWithoutModeDefault["mode"] = "release";
        Assert.Equal(6.5, (await (await _client.PostAsync("/v1/events", Json.Body(releaseWithoutModeDefault))).ReadJsonAsync()).GetProperty("intensity").GetDouble());

        var overridden = Event("intensity-override", "intensity-source", type: "ASSAULT");
        overridden["intensity"] = -3.5;
        var overriddenBody = await (await _client.PostAsync("/v1/events", Json.Body(overridden))).ReadJsonAsync();
        Assert.Equal(-3.5, overriddenBody.GetProperty("intensity").GetDouble());
        Assert.Equal(4, overriddenBody.GetProperty("quad").GetInt32());
    }

    [Fact]
    public async Task Patch_keeps_a_defaulted_intensity_following_the_type_and_can_remove_an_override()
    {
        await CreateSourceAsync(_client, "patch-intensity-source");
        await _client.PostAsync("/v1/events", Json.Body(Event("patch-intensity", "patch-intensity-source", type: "COOPERATE")));

        // The patch applies to the stored override (none), not to the 9.5 served: changing the type moves the default.
        using var retype = new HttpRequestMessage(HttpMethod.Patch, "/v1/events/patch-intensity") { Content = MergePatch("""{ "type": "AID" }""") };
        var retyped = await (await _client.SendAsync(retype.WithIfMatch("\"1\""))).ReadJsonAsync();
        Assert.Equal(10, retyped.GetProperty("intensity").GetDouble());
        Assert.Equal(2, retyped.GetProperty("quad").GetInt32());

        using var set = new HttpRequestMessage(HttpMethod.Patch, "/v1/events/patch-intensity") { Content = MergePatch("""{ "intensity": 7.5, "type": "ACCUSE" }""") };
        var withOverride = await (await _client.SendAsync(set.WithIfMatch("\"2\""))).ReadJsonAsync();
        Assert.Equal(7.5, withOverride.GetProperty("intensity").GetDouble());
        Assert.Equal(3, withOverride.GetProperty("quad").GetInt32());

        using var clear = new HttpRequestMessage(HttpMethod.Patch, "/v1/events/patch-intensity") { Content = MergePatch("""{ "intensity": null }""") };
        Assert.Equal(-2, (await (await _client.SendAsync(clear.WithIfMatch("\"3\""))).ReadJsonAsync()).GetProperty("intensity").GetDouble());
    }

    [Fact]
    public async Task Countries_in_alpha2_or_numeric_form_are_stored_as_alpha3()
    {
        await CreateSourceAsync(_client, "iso-source");
        var ev = Event("iso-forms", "iso-source", actor: "AZ", recipient: "376");
        ev["location"] = JsonNode.Parse("""{ "country": "031", "place": "Baku" }""");

        var body = await (await _client.PostAsync("/v1/events", Json.Body(ev))).ReadJsonAsync();

        Assert.Equal(["AZE", "ISR"], body.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("country").GetString()));
        Assert.Equal("AZE", body.GetProperty("location").GetProperty("country").GetString());
        var fetched = await _client.GetJsonAsync("/v1/events/iso-forms");
        Assert.Equal("AZE", fetched.GetProperty("participants")[0].GetProperty("country").GetString());
    }

    [Fact]
    public async Task Invalid_body_is_400_with_one_entry_per_camelCase_field()
    {
        await CreateSourceAsync(_client, "invalid-source");
        var ev = Event("invalid-event", "no-such-source");
        ev["participants"]![0]!["country"] = "XXX";
        ev["participants"]![1]!["role"] = "bystander";
        ev["date"] = JsonNode.Parse("""{ "value": "2023-13" }""");
        ev["mode"] = "visit"; // a CONSULT mode, not a SUPPORT one
        ev["contexts"] = JsonNode.Parse("""["diplomatic", "diplomatic"]""");
        ev["subjects"] = JsonNode.Parse("""["diplomacy", "gardening"]""");
        ev["intensity"] = 10.5;
        ev["location"] = JsonNode.Parse("""{ "country": "QQ", "place": null }""");

        var problem = await (await _client.PostAsync("/v1/events", Json.Body(ev))).AssertProblemAsync(400, "validationFailed");

        Assert.Contains("XXX", problem.FieldErrors("participants[0].country")[0], StringComparison.Ordinal);
        Assert.Contains("participantRole", problem.FieldErrors("participants[1].role")[0], StringComparison.Ordinal);
        Assert.NotEmpty(problem.FieldErrors("date.value"));
        Assert.Contains("SUPPORT", problem.FieldErrors("mode")[0], StringComparison.Ordinal);
        Assert.NotEmpty(problem.FieldErrors("contexts"));
        Assert.Contains("gardening", problem.FieldErrors("subjects[1]")[0], StringComparison.Ordinal);
        Assert.NotEmpty(problem.FieldErrors("intensity"));
        Assert.NotEmpty(problem.FieldErrors("location.country"));
        Assert.Contains("no-such-source", problem.FieldErrors("citations[0].sourceId")[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/events/invalid-event")).StatusCode);
    }

    [Fact]
    public async Task Missing_members_are_named_rather_than_defaulted()
    {
        var problem = await (await _client.PostAsync("/v1/events", Json.Body("""{ "title": "Only a title" }"""))).AssertProblemAsync(400, "validationFailed");

        Assert.NotEmpty(problem.FieldErrors("date"));
        Assert.NotEmpty(problem.FieldErrors("type"));
        Assert.NotEmpty(problem.FieldErrors("participants"));
        Assert.NotEmpty(problem.FieldErrors("verification"));
        Assert.NotEmpty(problem.FieldErrors("citations"));
    }

    [Fact]
    public async Task Empty_citations_and_participants_without_country_or_name_are_rejected()
    {
        await CreateSourceAsync(_client, "empty-source");
        var ev = Event("empty-citations", "empty-source");
        ev["citations"] = new JsonArray();
        ev["participants"]![0]!["country"] = null;
        ev["participants"]![0]!["name"] = null;

        var problem = await (await _client.PostAsync("/v1/events", Json.Body(ev))).AssertProblemAsync(400, "validationFailed");

        Assert.Contains("citation", problem.FieldErrors("citations")[0], StringComparison.Ordinal);
        Assert.Contains("name", problem.FieldErrors("participants[0].country")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_participant_named_without_a_country_is_accepted()
    {
        await CreateSourceAsync(_client, "named-source");
        var ev = Event("named-participant", "named-source");
        ev["participants"]![1]!["country"] = null;
        ev["participants"]![1]!["name"] = "Organisation of Turkic States";
        ev["participants"]![1]!["sector"] = "IGO";

        var response = await _client.PostAsync("/v1/events", Json.Body(ev));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await response.ReadJsonAsync()).GetProperty("participants")[1].GetProperty("country").ValueKind);
    }

    [Fact]
    public async Task Day_31_of_February_is_rejected()
    {
        await CreateSourceAsync(_client, "feb-source");
        var ev = Event("feb-31", "feb-source", date: "2023-02-31");

        var problem = await (await _client.PostAsync("/v1/events", Json.Body(ev))).AssertProblemAsync(400, "validationFailed");

        Assert.Contains("2023-02-31", problem.FieldErrors("date.value")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Precision_that_contradicts_the_value_is_rejected()
    {
        await CreateSourceAsync(_client, "precision-source");
        var ev = Event("precision-mismatch", "precision-source");
        ev["date"] = JsonNode.Parse("""{ "value": "2023-10", "precision": "day" }""");

        var problem = await (await _client.PostAsync("/v1/events", Json.Body(ev))).AssertProblemAsync(400, "validationFailed");

        Assert.Contains("month", problem.FieldErrors("date.precision")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_json_members_are_rejected_at_any_depth()
    {
        await CreateSourceAsync(_client, "unknown-member-source");
        var top = Event("unknown-member", "unknown-member-source");
        top["colour"] = "red";
        var nested = Event("unknown-member", "unknown-member-source");
        nested["participants"]![0]!["age"] = 40;

        var topProblem = await (await _client.PostAsync("/v1/events", Json.Body(top))).AssertProblemAsync(400, "invalidJson");
        var nestedProblem = await (await _client.PostAsync("/v1/events", Json.Body(nested))).AssertProblemAsync(400, "invalidJson");

        Assert.NotEmpty(topProblem.FieldErrors("colour"));
        Assert.NotEmpty(nestedProblem.FieldErrors("participants[0].age"));
    }

    [Fact]
    public async Task Related_agreement_must_exist()
    {
        await CreateSourceAsync(_client, "agreement-ref-source");
        var unknown = Event("agreement-ref-unknown", "agreement-ref-source");
        unknown["relatedAgreementId"] = "no-such-agreement";

        var problem = await (await _client.PostAsync("/v1/events", Json.Body(unknown))).AssertProblemAsync(400, "validationFailed");
        Assert.Contains("no-such-agreement", problem.FieldErrors("relatedAgreementId")[0], StringComparison.Ordinal);

        await CreateAgreementRowAsync(factory, "agreement-ref-existing");
        var known = Event("agreement-ref-known", "agreement-ref-source");
        known["relatedAgreementId"] = "agreement-ref-existing";
        var created = await _client.PostAsync("/v1/events", Json.Body(known));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("agreement-ref-existing", (await created.ReadJsonAsync()).GetProperty("relatedAgreementId").GetString());
    }

    [Fact]
    public async Task Put_with_a_body_id_other_than_the_path_is_400()
    {
        await CreateSourceAsync(_client, "put-id-source");

        var problem = await (await _client.PutAsync("/v1/events/path-event-id", Json.Body(Event("body-event-id", "put-id-source")))).AssertProblemAsync(400, "validationFailed");

        Assert.Contains("differs", problem.FieldErrors("id")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_that_makes_the_event_invalid_is_400_and_changes_nothing()
    {
        await CreateSourceAsync(_client, "patch-invalid-source");
        await _client.PostAsync("/v1/events", Json.Body(Event("patch-invalid-event", "patch-invalid-source")));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/v1/events/patch-invalid-event")
        {
            Content = MergePatch("""{ "participants": [ { "role": "actor", "country": "ZZZ", "sector": null, "name": null } ] }"""),
        };
        var problem = await (await _client.SendAsync(patch.WithIfMatch("\"1\""))).AssertProblemAsync(400, "validationFailed");

        Assert.NotEmpty(problem.FieldErrors("participants[0].country"));
        Assert.Equal(1, (await _client.GetJsonAsync("/v1/events/patch-invalid-event")).GetProperty("version").GetInt64());
    }
}

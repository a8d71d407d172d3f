using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Security;

/// <summary>
/// A record deleted and created again under the same id never repeats a version (and so never an
/// ETag): its versions continue after the tombstone's. A client still holding an ETag of the deleted
/// record gets 412 on the new one instead of silently overwriting it.
/// </summary>
public sealed class VersionContinuityTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string SourceId = "version-continuity-source";

    private readonly HttpClient _client = factory.CreateWriterClient();

    public static TheoryData<string> Resources => new("sources", "agreements", "events", "claims");

    internal static JsonObject Body(string resource, string id, string variant) => resource switch
    {
        "sources" => Node(Bodies.Source(id, "Version continuity " + variant)),
        "agreements" => Node(new
        {
            id, title = "Version continuity agreement " + variant, shortTitle = (string?)null, type = "agreement", status = "signed",
            subjects = new[] { "education" }, signed = new { value = "2023-04-19", precision = "day" }, enteredIntoForce = (object?)null,
            validUntil = (object?)null, ended = (object?)null, endedReason = (string?)null, place = (string?)null, summary = (string?)null,
            valueUsd = (decimal?)null, parentId = (string?)null, parentRelation = (string?)null,
            parties = new object[]
            {
                new { country = "AZE", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
                new { country = "ISR", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
            },
            notes = (string?)null, citations = TestData.Cite(SourceId),
        }),
        "events" => EventData.Event(id, SourceId, title: "Version continuity event " + variant),
        "claims" => Node(new
        {
            id, text = "Version continuity claim " + variant, indicator = "importPartnerShare", reporter = "ISR", partner = "AZE", flow = "M", hs = "2709",
            period = (object?)null, value = 40m, valueTo = (decimal?)null, unit = "percent", qualifier = "about", basis = "unknown", notes = (string?)null,
            citations = TestData.Cite(SourceId),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(resource)),
    };

    private static JsonObject Node(object value) =>
        System.Text.Json.JsonSerializer.SerializeToNode(value, BilateralApi.Infrastructure.Json.JsonDefaults.Options)!.AsObject();

    private async Task<string> SendAsync(HttpMethod method, string url, HttpContent? content, string? ifMatch, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (ifMatch is not null)
        {
            request.WithIfMatch(ifMatch);
        }
        var response = await _client.SendAsync(request);
        Assert.True(expected == response.StatusCode, $"{method} {url}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.ETag?.Tag ?? "";
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task A_record_created_again_after_a_delete_continues_its_versions(string resource)
    {
        await _client.EnsureSourceAsync(SourceId);
        var id = $"continuity-{resource}";
        var url = $"/v1/{resource}/{id}";
        var old = new List<string>
        {
            await SendAsync(HttpMethod.Post, $"/v1/{resource}", Json.Body(Body(resource, id, "a").ToJsonString()), null, HttpStatusCode.Created),
        };
        old.Add(await SendAsync(HttpMethod.Put, url, Json.Body(Body(resource, id, "b").ToJsonString()), old[^1], HttpStatusCode.OK));
        await SendAsync(HttpMethod.Delete, url, null, old[^1], HttpStatusCode.NoContent);
        Assert.Equal(["\"1\"", "\"2\""], old);

        // Created again, by POST: the new record's first ETag is none the old one had.
        var recreated = await SendAsync(HttpMethod.Post, $"/v1/{resource}", Json.Body(Body(resource, id, "c").ToJsonString()), null, HttpStatusCode.Created);
        Assert.DoesNotContain(recreated, old);
        Assert.Equal("\"3\"", recreated);
        // A client still holding the old record's ETag cannot overwrite the new one.
        await SendAsync(HttpMethod.Put, url, Json.Body(Body(resource, id, "stale").ToJsonString()), "\"1\"", HttpStatusCode.PreconditionFailed);
        await SendAsync(HttpMethod.Delete, url, null, "\"1\"", HttpStatusCode.PreconditionFailed);

        // Deleted again and created by PUT: still continuing.
        await SendAsync(HttpMethod.Delete, url, null, recreated, HttpStatusCode.NoContent);
        Assert.Equal("\"4\"", await SendAsync(HttpMethod.Put, url, Json.Body(Body(resource, id, "d").ToJsonString()), null, HttpStatusCode.Created));

        // The history lists every version once.
        var history = await _client.GetJsonAsync($"{url}/history");
        var versions = history.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("version").GetInt64()).ToList();
        Assert.Equal([1, 2, 2, 3, 3, 4], versions);
    }


    [Fact]
    public async Task A_trade_record_id_taken_again_by_a_new_record_continues_its_versions()
    {
        await _client.EnsureSourceAsync(SourceId);
        JsonObject Record(decimal value) => new()
        {
            ["reporter"] = "KAZ", ["partner"] = "GEO", ["year"] = 2019, ["month"] = null, ["flow"] = "X", ["hs"] = "2709", ["transportMode"] = 0,
            ["valueUsd"] = value, ["netWeightKg"] = null, ["quantity"] = null, ["quantityUnit"] = null, ["valueBasis"] = "FOB",
            ["estimated"] = false, ["sourceId"] = SourceId,
        };
        var created = await _client.PostAsync("/v1/trade-records", Json.Body(Record(100m).ToJsonString()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = created.Headers.Location!.OriginalString;
        var updated = await SendAsync(HttpMethod.Put, url, Json.Body(Record(200m).ToJsonString()), "\"1\"", HttpStatusCode.OK);
        Assert.Equal("\"2\"", updated);
        await SendAsync(HttpMethod.Delete, url, null, updated, HttpStatusCode.NoContent);

        // The store chooses integer ids; the newest record's id is free again after its delete, so the next record gets it.
        var again = await _client.PostAsync("/v1/trade-records", Json.Body(Record(300m).ToJsonString()));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(url, again.Headers.Location!.OriginalString);
        Assert.Equal("\"3\"", again.Headers.ETag!.Tag);
        await SendAsync(HttpMethod.Put, url, Json.Body(Record(400m).ToJsonString()), "\"1\"", HttpStatusCode.PreconditionFailed);

        // The same through an import.
        await SendAsync(HttpMethod.Delete, url, null, "\"3\"", HttpStatusCode.NoContent);
        var import = await _client.PostAsync("/v1/trade-records/import", new StringContent(Record(500m).ToJsonString(), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var stored = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("\"4\"", stored.Headers.ETag!.Tag);
        Assert.Equal(4, (await stored.ReadJsonAsync()).GetProperty("version").GetInt64());
        // Its history names the import as the writer of version 4 (a creation a created-id range cannot say: decision 0037).
        var changeSeq = (await import.ReadJsonAsync()).GetProperty("changeSeq").GetInt64();
        var history = (await _client.GetJsonAsync(url + "/history")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 2L, 3L, 3L, 4L], history.Select(h => h.GetProperty("version").GetInt64()));
        var last = history[^1];
        Assert.Equal(("create", $"import-{changeSeq}"), (last.GetProperty("action").GetString(), last.GetProperty("import").GetString()));
        Assert.DoesNotContain(history.SkipLast(1), h => h.TryGetProperty("import", out _));
    }
}

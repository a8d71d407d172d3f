using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Security;

/// <summary>The trade-record test of VersionContinuityTests: a file of its own because it needs the bulk import on the store, and because it takes SQLite's reuse of the newest deleted id (a PostgreSQL identity never hands an id out again).</summary>
public sealed partial class VersionContinuityTests
{
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

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Import;

/// <summary>
/// POST /v1/{sources,agreements,events,claims}/import with bundles taken from the curated seed files
/// (valid write shapes by construction), renamed per test so tests never share an id. The database
/// starts without the seed; each test first imports the seed's sources and agreements (skip-existing)
/// so citations and related agreements resolve.
/// </summary>
public sealed class BundleImportTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    public static TheoryData<string> Resources => new("sources", "agreements", "events", "claims");

    private static JsonArray Seed(string resource)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "data", "seed")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(directory.FullName, "data", "seed", resource + ".json")))!.AsArray();
    }

    /// <summary>The first <paramref name="count"/> seed records of the resource with ids of this test's own.</summary>
    private static List<JsonObject> Renamed(string resource, string tag, int count) =>
        Seed(resource).Take(count).Select((record, i) =>
        {
            var copy = record!.DeepClone().AsObject();
            copy["id"] = $"imp-{tag}-{resource}-{i}";
            return copy;
        }).ToList();

    private static StringContent Ndjson(IEnumerable<JsonNode> rows) =>
        new(string.Join("\n", rows.Select(r => r.ToJsonString())), Encoding.UTF8, "application/x-ndjson");

    private static StringContent JsonArrayBody(IEnumerable<JsonNode> rows) =>
        new(new JsonArray(rows.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonElement> ImportAsync(string resource, string query, HttpContent content, HttpStatusCode expected)
    {
        var response = await _client.PostAsync($"/v1/{resource}/import?{query}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task ReferencesAsync()
    {
        foreach (var resource in new[] { "sources", "agreements" })
        {
            var report = await ImportAsync(resource, "mode=skip-existing", JsonArrayBody(Seed(resource).Select(n => n!)), HttpStatusCode.OK);
            Assert.Equal(0, report.GetProperty("rejected").GetInt64());
        }
    }

    private async Task<HttpStatusCode> StatusOfAsync(string resource, string id) => (await _client.GetAsync($"/v1/{resource}/{id}")).StatusCode;

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task Bundle_is_stored_then_upserted_and_insert_mode_rejects_stored_ids(string resource)
    {
        await ReferencesAsync();
        var rows = Renamed(resource, "happy", 2);

        var report = await ImportAsync(resource, "", Ndjson(rows), HttpStatusCode.OK);
        Assert.Equal(2, report.GetProperty("inserted").GetInt64());
        Assert.True(report.GetProperty("committed").GetBoolean());
        var stored = await _client.GetJsonAsync($"/v1/{resource}/{rows[0]["id"]}");
        Assert.Equal(1, stored.GetProperty("version").GetInt64());

        // The same rows again: nothing to store, no new versions.
        var same = await ImportAsync(resource, "mode=upsert", JsonArrayBody(rows), HttpStatusCode.OK);
        Assert.Equal(2, same.GetProperty("unchanged").GetInt64());
        Assert.Equal(0, same.GetProperty("updated").GetInt64());
        Assert.Equal(1, (await _client.GetJsonAsync($"/v1/{resource}/{rows[0]["id"]}")).GetProperty("version").GetInt64());

        rows[0]["notes"] = "Changed by the upsert test.";
        var upsert = await ImportAsync(resource, "mode=upsert", JsonArrayBody(rows), HttpStatusCode.OK);
        Assert.Equal(1, upsert.GetProperty("updated").GetInt64());
        Assert.Equal(1, upsert.GetProperty("unchanged").GetInt64());
        Assert.Equal(2, (await _client.GetJsonAsync($"/v1/{resource}/{rows[0]["id"]}")).GetProperty("version").GetInt64());
        Assert.Equal(1, (await _client.GetJsonAsync($"/v1/{resource}/{rows[1]["id"]}")).GetProperty("version").GetInt64());

        var skip = await ImportAsync(resource, "mode=skip-existing", Ndjson(rows), HttpStatusCode.OK);
        Assert.Equal(2, skip.GetProperty("skipped").GetInt64());

        var again = await ImportAsync(resource, "mode=insert", Ndjson(rows), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, again.GetProperty("report").GetProperty("rejected").GetInt64());

        // Every stored write entered the change feed.
        var history = await _client.GetJsonAsync($"/v1/changes?resource={resource}&limit=500");
        Assert.Equal(2, history.GetProperty("items").EnumerateArray().Count(c => c.GetProperty("id").GetString() == rows[0]["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Importing_the_whole_seed_again_with_upsert_changes_nothing()
    {
        await ReferencesAsync();
        foreach (var resource in new[] { "events", "claims" })
        {
            await ImportAsync(resource, "mode=skip-existing", JsonArrayBody(Seed(resource).Select(n => n!)), HttpStatusCode.OK);
        }
        foreach (var resource in new[] { "sources", "agreements", "events", "claims" })
        {
            var rows = Seed(resource).Select(n => n!).ToList();
            var report = await ImportAsync(resource, "mode=upsert", JsonArrayBody(rows), HttpStatusCode.OK);
            Assert.True(rows.Count == report.GetProperty("unchanged").GetInt64(), report.ToString());
            Assert.Equal(0, report.GetProperty("updated").GetInt64());
        }
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task A_bad_row_at_the_end_rolls_back_an_atomic_import_and_is_reported(string resource)
    {
        await ReferencesAsync();
        var rows = Renamed(resource, "atomic", 3);
        rows[2]["notAMember"] = 1;
        var withoutId = Renamed(resource, "atomic-noid", 1)[0];
        withoutId.Remove("id");
        rows.Add(withoutId);

        var problem = await ImportAsync(resource, "", Ndjson(rows), HttpStatusCode.UnprocessableEntity);
        var report = problem.GetProperty("report");
        Assert.Equal(2, report.GetProperty("rejected").GetInt64());
        Assert.False(report.GetProperty("committed").GetBoolean());
        var rejected = report.GetProperty("rejectedRows").EnumerateArray().ToList();
        Assert.Equal([3L, 4L], rejected.Select(r => r.GetProperty("row").GetInt64()));
        Assert.Equal(3, rejected[0].GetProperty("line").GetInt64());
        Assert.Equal("id", rejected[1].GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync(resource, rows[0]["id"]!.GetValue<string>()));

        // atomic=false stores the good rows and answers 207 with a result per row.
        var partial = await ImportAsync(resource, "atomic=false", Ndjson(rows), (HttpStatusCode)207);
        Assert.Equal(2, partial.GetProperty("inserted").GetInt64());
        Assert.Equal(["inserted", "inserted", "rejected", "rejected"], partial.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(resource, rows[0]["id"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task Dry_run_checks_everything_and_stores_nothing(string resource)
    {
        await ReferencesAsync();
        var rows = Renamed(resource, "dry", 2);

        var report = await ImportAsync(resource, "dryRun=true", JsonArrayBody(rows), HttpStatusCode.OK);
        Assert.Equal(2, report.GetProperty("inserted").GetInt64());
        Assert.False(report.GetProperty("committed").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync(resource, rows[0]["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Csv_is_not_a_bundle_format_and_imports_need_the_import_scope()
    {
        var csv = await _client.PostAsync("/v1/sources/import", new StringContent("id\nx", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, csv.StatusCode);

        var anonymous = await factory.CreateClient().PostAsync("/v1/sources/import", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

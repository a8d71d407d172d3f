using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Agreements;

public sealed class AgreementEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Source = "agreement-test-source";
    private readonly HttpClient _client = factory.CreateWriterClient();

    private static Dictionary<string, object?> NewAgreement(string? id, params (string Key, object? Value)[] overrides)
    {
        var body = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["title"] = "Program of educational cooperation 2023-2026",
            ["shortTitle"] = "Education programme",
            ["type"] = "programme",
            ["status"] = "inForce",
            ["subjects"] = new[] { "education" },
            ["signed"] = new { value = "2023-04-19", precision = "day" },
            ["enteredIntoForce"] = null,
            ["validUntil"] = new { value = "2026", precision = "year" },
            ["ended"] = null,
            ["endedReason"] = null,
            ["place"] = "Baku",
            ["summary"] = null,
            ["valueUsd"] = null,
            ["parentId"] = null,
            ["parentRelation"] = null,
            ["parties"] = new object[]
            {
                new { country = "AZ", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
                new { country = "376", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
            },
            ["notes"] = null,
            ["citations"] = TestData.Cite(Source, "paragraph 2"),
        };
        foreach (var (key, value) in overrides)
        {
            body[key] = value;
        }
        return body;
    }

    [Fact]
    public async Task Create_normalises_countries_keeps_date_precision_and_citations()
    {
        await _client.EnsureSourceAsync(Source);

        var response = await _client.PostAsync("/v1/agreements", Json.Body(NewAgreement("agr-create")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["AZE", "ISR"], body.GetProperty("parties").EnumerateArray().Select(p => p.GetProperty("country").GetString()));
        Assert.Equal("year", body.GetProperty("validUntil").GetProperty("precision").GetString());
        Assert.Equal("2026", body.GetProperty("validUntil").GetProperty("value").GetString());
        Assert.Equal("day", body.GetProperty("signed").GetProperty("precision").GetString());
        Assert.Equal(Source, body.GetProperty("citations")[0].GetProperty("sourceId").GetString());
        Assert.Equal("paragraph 2", body.GetProperty("citations")[0].GetProperty("locator").GetString());

        var fetched = await _client.GetJsonAsync("/v1/agreements/agr-create");
        Assert.Equal(body.GetProperty("title").GetString(), fetched.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Invalid_agreement_gives_one_error_per_field_with_json_names()
    {
        await _client.EnsureSourceAsync(Source);
        var body = NewAgreement("agr-invalid",
            ("type", "handshake"),
            ("signed", new { value = "2023-02-31", precision = "day" }),
            ("enteredIntoForce", null),
            ("parties", new object[] { new { country = "XXX", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null } }),
            ("citations", new object[] { new { sourceId = "no-such-source", locator = "p. 1", quote = (string?)null, supports = "asserts" } }),
            ("valueUsd", 10.005m));

        var response = await _client.PostAsync("/v1/agreements", Json.Body(body));

        var problem = await response.AssertProblemAsync(400, "validationFailed");
        Assert.Contains("agreementType", problem.FieldErrors("type")[0], StringComparison.Ordinal);
        Assert.Contains("2023-02-31", problem.FieldErrors("signed.value")[0], StringComparison.Ordinal);
        Assert.Contains("at least two parties", problem.FieldErrors("parties")[0], StringComparison.Ordinal);
        Assert.Contains("XXX", problem.FieldErrors("parties[0].country")[0], StringComparison.Ordinal);
        Assert.Contains("no-such-source", problem.FieldErrors("citations[0].sourceId")[0], StringComparison.Ordinal);
        Assert.NotEmpty(problem.FieldErrors("valueUsd"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/v1/agreements/agr-invalid")).StatusCode);
    }

    [Fact]
    public async Task Entry_into_force_before_signature_and_missing_citations_are_rejected()
    {
        await _client.EnsureSourceAsync(Source);
        var body = NewAgreement("agr-order",
            ("enteredIntoForce", new { value = "2022-12", precision = "month" }),
            ("citations", Array.Empty<object>()));

        var problem = await (await _client.PostAsync("/v1/agreements", Json.Body(body))).AssertProblemAsync(400, "validationFailed");

        Assert.Contains("before signature", problem.FieldErrors("enteredIntoForce")[0], StringComparison.Ordinal);
        Assert.Contains("citation", problem.FieldErrors("citations")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_replaces_parties_and_subjects_whole_and_patch_changes_one_field()
    {
        await _client.EnsureSourceAsync(Source);
        Assert.Equal(HttpStatusCode.Created, (await _client.PutAsync("/v1/agreements/agr-replace", Json.Body(NewAgreement(null)))).StatusCode);

        using var put = new HttpRequestMessage(HttpMethod.Put, "/v1/agreements/agr-replace")
        {
            Content = Json.Body(NewAgreement(null, ("subjects", new[] { "cyber", "education" }), ("status", "signed"))),
        };
        var replaced = await _client.SendAsync(put.WithIfMatch("\"1\""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var body = await replaced.ReadJsonAsync();
        Assert.Equal(["cyber", "education"], body.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/v1/agreements/agr-replace")
        {
            Content = Json.Body("""{ "status": "inForce", "place": null }""", "application/merge-patch+json"),
        };
        var patched = await (await _client.SendAsync(patch.WithIfMatch("\"2\""))).ReadJsonAsync();
        Assert.Equal("inForce", patched.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("place").ValueKind);
        Assert.Equal(2, patched.GetProperty("parties").GetArrayLength());
        Assert.Equal(3, patched.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Delete_of_a_parent_agreement_is_409_until_the_child_is_gone()
    {
        await _client.EnsureSourceAsync(Source);
        await _client.PostAsync("/v1/agreements", Json.Body(NewAgreement("agr-parent")));
        var child = await _client.PostAsync("/v1/agreements", Json.Body(NewAgreement("agr-child", ("parentId", "agr-parent"), ("parentRelation", "amends"))));
        Assert.Equal(HttpStatusCode.Created, child.StatusCode);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/agreements/agr-parent");
        await (await _client.SendAsync(delete.WithIfMatch("\"1\""))).AssertProblemAsync(409, "conflict");

        using var deleteChild = new HttpRequestMessage(HttpMethod.Delete, "/v1/agreements/agr-child");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(deleteChild.WithIfMatch("\"1\""))).StatusCode);
        using var deleteParent = new HttpRequestMessage(HttpMethod.Delete, "/v1/agreements/agr-parent");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(deleteParent.WithIfMatch("\"1\""))).StatusCode);
    }


    [Fact]
    public async Task List_filters_by_pair_subject_signed_overlap_and_in_force_on()
    {
        await _client.EnsureSourceAsync(Source);
        await _client.PostAsync("/v1/agreements", Json.Body(NewAgreement("agr-list-edu")));
        await _client.PostAsync("/v1/agreements", Json.Body(NewAgreement("agr-list-tur",
            ("subjects", new[] { "energy" }),
            ("status", "proposed"),
            ("signed", null),
            ("validUntil", null),
            ("parties", new object[]
            {
                new { country = "AZE", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
                new { country = "TUR", name = (string?)null, role = "party", consentType = (string?)null, signedOn = (string?)null, consentedOn = (string?)null, inForceOn = (string?)null, withdrawnOn = (string?)null },
            }))));

        static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!);

        var pair = Ids(await _client.GetJsonAsync("/v1/agreements?pair=ISR,AZE&limit=500")).ToList();
        Assert.Contains("agr-list-edu", pair);
        Assert.DoesNotContain("agr-list-tur", pair);

        var energy = Ids(await _client.GetJsonAsync("/v1/agreements?subject=energy&country=TR")).ToList();
        Assert.Equal(["agr-list-tur"], energy);

        var signed2023 = Ids(await _client.GetJsonAsync("/v1/agreements?signed=2023-04&limit=500")).ToList();
        Assert.Contains("agr-list-edu", signed2023);
        Assert.DoesNotContain("agr-list-tur", signed2023);

        var inForce = Ids(await _client.GetJsonAsync("/v1/agreements?inForceOn=2024-06-01&limit=500")).ToList();
        Assert.Contains("agr-list-edu", inForce);
        Assert.DoesNotContain("agr-list-tur", inForce);
        var expired = Ids(await _client.GetJsonAsync("/v1/agreements?inForceOn=2027-01-01&limit=500")).ToList();
        Assert.DoesNotContain("agr-list-edu", expired);

        var bad = await _client.GetAsync("/v1/agreements?inForceOn=2024&status=bogus");
        var problem = await bad.AssertProblemAsync(400, "invalidParameter");
        Assert.NotEmpty(problem.FieldErrors("inForceOn"));
        Assert.NotEmpty(problem.FieldErrors("status"));
    }
}

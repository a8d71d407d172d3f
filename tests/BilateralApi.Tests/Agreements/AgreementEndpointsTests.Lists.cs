using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Agreements;

/// <summary>The list tests of AgreementEndpointsTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class AgreementEndpointsTests
{
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

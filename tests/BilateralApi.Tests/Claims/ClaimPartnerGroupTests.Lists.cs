using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Claims;

/// <summary>The list tests of ClaimPartnerGroupTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class ClaimPartnerGroupTests
{
    [Fact]
    public async Task A_group_is_stored_in_alpha3_and_no_members_filter_returns_it()
    {
        var created = await PutAsync("group-kaz-aze-60");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("partner").ValueKind);
        Assert.Equal(["KAZ", "AZE"], body.GetProperty("partners").EnumerateArray().Select(p => p.GetString()));

        var single = await PutAsync("group-single-aze-40", ("partners", null), ("partner", "AZE"), ("text", "40 percent from Azerbaijan"));
        Assert.Equal(HttpStatusCode.Created, single.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await single.ReadJsonAsync()).GetProperty("partners").ValueKind);

        var byPartner = await _client.GetJsonAsync($"/v1/claims?partner=AZE&sourceId={Source}&limit=500");
        Assert.Equal(["group-single-aze-40"], byPartner.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }
}

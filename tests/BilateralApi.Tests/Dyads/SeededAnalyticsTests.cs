using System.Text.Json;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Dyads;

/// <summary>The analytics over the curated Azerbaijan–Israel seed dataset.</summary>
public sealed partial class SeededAnalyticsTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<int> CountAsync(string url)
    {
        var count = 0;
        for (var next = url; next is not null;)
        {
            var page = await _client.GetJsonAsync(next);
            count += page.GetProperty("items").GetArrayLength();
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        return count;
    }

    [Fact]
    public async Task Azerbaijans_2023_oil_export_share_is_not_computed_from_figures_no_release_gives()
    {
        var share = await _client.GetJsonAsync("/v1/trade/partner-share?reporter=AZE&partner=ISR&flow=X&hs=27&year=2023");
        Assert.All(share.GetProperty("years").EnumerateArray(), y => Assert.Equal(JsonValueKind.Null, y.GetProperty("sharePercent").ValueKind));

        // Faktyoxla's 8.4 % and the tonnages it rests on come from one page: the check does not judge one by the other.
        var check = await _client.GetJsonAsync("/v1/claims/faktyoxla-2023-israel-share-az-oil-exports-8-4/check");
        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Contains(check.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("AZE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_40_percent_claim_gets_an_honest_insufficient_data_answer()
    {
        var check = await _client.GetJsonAsync("/v1/claims/seed-article-israel-oil-share-40/check");

        Assert.Equal("insufficientData", check.GetProperty("verdict").GetString());
        Assert.Equal(40m, check.GetProperty("claimed").GetProperty("value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("observed").ValueKind);
        var missing = check.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(missing, m => m.Contains("ISR") && m.Contains("HS 27"));
        Assert.Contains(missing, m => m.Contains("period"));
    }
}

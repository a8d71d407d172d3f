using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace BilateralApi.Tests.Querying;

/// <summary>Cursors are signed with the key kept in the database, so a client can go on paging after a restart.</summary>
public sealed class CursorKeyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private CursorKeys FreshKeys() => new(factory.NewInstanceConnections(), new ConfigurationBuilder().Build());

    [Fact]
    public async Task A_cursor_served_before_a_restart_is_accepted_by_a_new_process_state()
    {
        using var client = factory.CreateClient();
        var page = await client.GetJsonAsync("/v1/codelists?limit=2");
        var cursor = page.GetProperty("page").GetProperty("nextCursor").GetString()!;

        // A new CursorKeys is what a restarted process starts with: it reads the key back from app_meta.
        var key = await FreshKeys().GetAsync(CancellationToken.None);
        Assert.Equal(key, await FreshKeys().GetAsync(CancellationToken.None));
        Assert.True(Cursor.TryDecode(cursor, Cursor.Fingerprint("codelists", []), key, out var after, out var error), error);
        Assert.NotEmpty(after);

        // And the server still takes it.
        var next = await client.GetJsonAsync($"/v1/codelists?limit=2&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(2, next.GetProperty("items").GetArrayLength());
    }
}

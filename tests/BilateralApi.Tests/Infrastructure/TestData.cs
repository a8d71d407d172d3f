using System.Net;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>Arranges the records tests need, through the API itself.</summary>
public static class TestData
{
    /// <summary>Creates a source with this id (once per database) so records can cite it.</summary>
    public static async Task EnsureSourceAsync(this HttpClient client, string id)
    {
        var response = await client.PutAsync($"/v1/sources/{id}", Json.Body(new
        {
            id,
            type = "news",
            author = (string?)null,
            publisher = "Test Publisher",
            title = $"Source {id}",
            url = $"https://example.org/{id}",
            publishedOn = "2024-01-15",
            retrievedOn = "2026-11-27",
            reliability = "B",
            licence = (string?)null,
            notes = (string?)null,
        }));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.PreconditionRequired, await response.Content.ReadAsStringAsync());
    }

    public static object[] Cite(string sourceId, string locator = "paragraph 1") =>
        [new { sourceId, locator, quote = (string?)null, supports = "asserts" }];
}

/// <summary>Write bodies for the security, idempotency and concurrency tests.</summary>
public static class Bodies
{
    public static object Source(string? id, string title = "A source for safe-write tests") => new
    {
        id,
        type = "news",
        author = (string?)null,
        publisher = "Test Publisher",
        title,
        url = "https://example.org/safe-writes",
        publishedOn = "2024-01-15",
        retrievedOn = "2026-11-27",
        reliability = "B",
        licence = (string?)null,
        notes = (string?)null,
    };
}

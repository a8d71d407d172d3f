using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// Requests generated from the served OpenAPI document with hostile values in every parameter and
/// body member: whatever comes in, the answer is never a 5xx, and every error is problem+json.
/// Seeded, bounded, in-process: the same requests every run.
/// </summary>
public sealed class DocumentFuzzTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private static readonly string[] HostileValues =
    [
        "", "'", "\"", "\0", "99999999999999999999999", "-1", "1e400", "..", ",", "!", "!,", "ñ漢字🙂", new string('a', 3000),
        "2023-02-31", "2023..", "null", "true", "[]", "{}", "AZE,ISR,TUR", "0", "%", "_", "\\", "AZE'--", "seed-article", "1",
    ];

    private static readonly JsonNode?[] HostileBodies =
    [
        null, 1, -1, 1e300, "x", "", new JsonArray(), new JsonObject(), true, new string('ñ', 600), new JsonArray((JsonNode?)null),
        new JsonObject { ["value"] = "2023-13" }, JsonValue.Create(decimal.MaxValue),
    ];

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Hostile_requests_built_from_the_document_never_get_a_server_error()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var random = new Random(20261128);
        var failures = new List<string>();
        var sent = 0;

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var parameters = operation!["parameters"]?.AsArray().Select(p => p!).Where(p => p["in"]!.GetValue<string>() is "query" or "path").ToList() ?? [];
                for (var i = 0; i < 12; i++)
                {
                    var url = new StringBuilder(path);
                    var query = new List<string>();
                    foreach (var parameter in parameters)
                    {
                        var name = parameter["name"]!.GetValue<string>();
                        var value = HostileValues[random.Next(HostileValues.Length)];
                        if (parameter["in"]!.GetValue<string>() == "path")
                        {
                            // The in-memory test server rejects NUL in paths before the app sees them (Kestrel answers 400 itself).
                            url.Replace("{" + name + "}", Uri.EscapeDataString(value.Length == 0 ? "x" : value.Replace('\0', 'x')));
                        }
                        else if (random.Next(2) == 0)
                        {
                            query.Add($"{name}={Uri.EscapeDataString(value)}");
                        }
                    }
                    if (query.Count > 0)
                    {
                        url.Append('?').AppendJoin('&', query);
                    }

                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url.ToString());
                    if (operation["requestBody"]?["content"] is JsonObject content)
                    {
                        var (mediaType, media) = content.First();
                        var body = new JsonObject();
                        var reference = media!["schema"]?["$ref"]?.GetValue<string>();
                        var properties = reference is null ? null : schemas[reference.Split('/')[^1]]?["properties"]?.AsObject();
                        foreach (var (member, _) in properties ?? [])
                        {
                            if (random.Next(10) < 7)
                            {
                                body[member] = HostileBodies[random.Next(HostileBodies.Length)]?.DeepClone();
                            }
                        }
                        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
                    }
                    if (method is "put" or "patch" or "delete" && random.Next(2) == 0)
                    {
                        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                    }

                    var response = await _client.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    var mediaTypeAnswered = response.Content.Headers.ContentType?.MediaType;
                    if (status >= 500 || (status >= 400 && mediaTypeAnswered != "application/problem+json"))
                    {
                        failures.Add($"{request.Method} {request.RequestUri} -> {status} {mediaTypeAnswered}: {await response.Content.ReadAsStringAsync()}");
                    }
                    else if (status >= 400)
                    {
                        // As a schema-checking fuzzer would: the status is one the operation declares, the body its schema.
                        var declared = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                        var schema = declared?["content"]?["application/problem+json"]?["schema"];
                        var errors = new List<string>();
                        if (schema is null)
                        {
                            errors.Add($"status {status} is not declared with a problem schema");
                        }
                        else
                        {
                            SchemaValidator.Validate(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, schema, schemas, "$", errors);
                        }
                        failures.AddRange(errors.Take(3).Select(e => $"{request.Method} {path} -> {status}: {e} [{request.RequestUri}]"));
                    }
                    Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, failures.LastOrDefault());
                }
            }
        }

        Assert.True(sent > 200, $"only {sent} requests were generated");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct()));
    }
}

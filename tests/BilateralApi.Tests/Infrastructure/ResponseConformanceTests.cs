using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// What a fuzzer or a validating client checks: every GET of the document, called with the document's own
/// examples on the seeded data, answers 200 with a body that conforms to the declared response schema
/// (types, nullability, required members, patterns, lengths, enums, ranges, no undeclared members where
/// the schema closes the object), checked by <see cref="SchemaValidator"/>. A list asked with fields= is checked
/// against the partial page its fields parameter names (x-fields-schema); every other answer against the full,
/// strict schema, whose required members must all be there and whose non-nullable members never null.
/// </summary>
public sealed class ResponseConformanceTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Every_get_answers_its_examples_with_a_body_that_matches_the_document()
    {
        // The seed has no trade records; the trade-record examples (id 1) name the first one a store imports.
        await ImportedTrade.EnsureAsync(factory);
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var failures = new List<string>();
        var validated = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (item!["get"] is not JsonObject operation)
            {
                continue;
            }
            var url = path;
            var query = new List<string>();
            foreach (var parameter in operation["parameters"]?.AsArray().Select(p => p!) ?? [])
            {
                var name = parameter["name"]!.GetValue<string>();
                var example = parameter["example"]?.ToString();
                switch (parameter["in"]!.GetValue<string>())
                {
                    case "path":
                        url = url.Replace("{" + name + "}", Uri.EscapeDataString(example ?? "x"), StringComparison.Ordinal);
                        break;
                    case "query" when name == "limit":
                        query.Add("limit=2");
                        break;
                    case "query" when parameter["required"]?.GetValue<bool>() == true:
                        query.Add($"{name}={Uri.EscapeDataString(example ?? "")}");
                        break;
                }
            }
            var variants = new List<(List<string> Query, JsonNode? Schema)> { (query, null) };
            var names = operation["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet() ?? [];
            if (names.Contains("count"))
            {
                // The optional members of a list page: the total, its truncation flag, facets, expanded names.
                variants.Add(([.. query, "count=exact"], null));
                variants.Add(([.. query, "count=estimate", "expand=countryNames"], null));
                if (path == "/v1/events")
                {
                    variants.Add(([.. query, "facet=type,date:year,participants.country", "expand=citations.source"], null));
                }
            }
            // With fields= the items are partial: they match the page schema the fields parameter names.
            if (operation["parameters"]?.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == "fields") is { } fields)
            {
                var sparse = fields["x-fields-schema"];
                var sparseItem = schemas[sparse?["$ref"]?.GetValue<string>().Split('/')[^1] ?? ""]?["properties"]?["items"]?["items"]?["$ref"]?.GetValue<string>();
                var members = sparseItem is null ? [] : schemas[sparseItem.Split('/')[^1]]!["properties"]!.AsObject().Select(p => p.Key).Take(2).ToList();
                if (sparse is null || members.Count == 0)
                {
                    failures.Add($"GET {path}: fields= does not name the schema of its partial answers");
                }
                else
                {
                    variants.Add(([.. query, $"fields={string.Join(',', members)}"], sparse));
                }
            }
            foreach (var (variant, sparseSchema) in variants)
            {
                var requestUrl = variant.Count == 0 ? url : $"{url}?{string.Join('&', variant)}";
                var response = await _client.GetAsync(requestUrl);
                if ((int)response.StatusCode != 200)
                {
                    failures.Add($"GET {requestUrl}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    continue;
                }
                var media = response.Content.Headers.ContentType?.MediaType ?? "";
                if ((sparseSchema ?? operation["responses"]?["200"]?["content"]?[media]?["schema"]) is not JsonNode schema)
                {
                    failures.Add($"GET {requestUrl}: answered {media}, which its 200 response does not declare");
                    continue;
                }
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                var errors = new List<string>();
                SchemaValidator.Validate(body, schema, schemas, "$", errors);
                failures.AddRange(errors.Take(5).Select(e => $"GET {requestUrl}: {e}"));
                validated++;
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(validated > 20, $"Only {validated} operations validated.");
    }

    [Theory]
    [InlineData("GET", "/v1/events", "/v1/events?limit=0", null, false, 400)]
    [InlineData("GET", "/v1/events", "/v1/events?filter=type%20eq", null, false, 400)]
    [InlineData("GET", "/v1/events", "/v1/events?bogus=1", null, false, 400)]
    [InlineData("GET", "/v1/events/{id}", "/v1/events/no-such-event", null, false, 404)]
    [InlineData("GET", "/v1/dyads/{a}/{b}", "/v1/dyads/QQ/ISR", null, false, 404)]
    [InlineData("GET", "/v1/trade/balance", "/v1/trade/balance", null, false, 400)]
    [InlineData("GET", "/v1/trade-records", "/v1/trade-records?valueUsd=lots", null, false, 400)]
    [InlineData("POST", "/v1/sources", "/v1/sources", "{}", false, 401)]
    [InlineData("POST", "/v1/sources", "/v1/sources", "{ \"title\": 5 }", true, 400)]
    [InlineData("POST", "/v1/sources", "/v1/sources", "{ \"title\": \"\" }", true, 400)]
    [InlineData("PUT", "/v1/sources/{id}", "/v1/sources/seed-article", "{ \"title\": \"x\", \"type\": \"news\", \"reliability\": \"C\" }", true, 428)]
    [InlineData("DELETE", "/v1/sources/{id}", "/v1/sources/seed-article", null, true, 428)]
    public async Task Problems_are_declared_for_their_operation_and_match_the_document(string method, string path, string url, string? body, bool withKey, int status)
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        using var client = withKey ? factory.CreateWriterClient() : factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        var declared = document["paths"]![path]![method.ToLowerInvariant()]!["responses"]![status.ToString(CultureInfo.InvariantCulture)];
        Assert.True(declared is not null, $"{method} {path} does not declare {status}");
        var schema = declared!["content"]?["application/problem+json"]?["schema"];
        Assert.True(schema is not null, $"{method} {path} {status} declares no application/problem+json schema");
        var errors = new List<string>();
        SchemaValidator.Validate(JsonDocument.Parse(text).RootElement, schema!, schemas, "$", errors);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task Creating_each_write_example_answers_201_with_a_body_that_matches_the_document()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        using var client = factory.CreateWriterClient();
        var failures = new List<string>();
        var created = 0;
        // POST a body's example; the answer is the created record in the documented shape.
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (item!["post"] is not JsonObject operation || path.EndsWith("/import", StringComparison.Ordinal)
                || operation["requestBody"]?["content"]?["application/json"]?["schema"] is not JsonObject body)
            {
                continue;
            }
            var reference = (body["$ref"] ?? body["allOf"]?[0]?["$ref"])?.GetValue<string>();
            var example = body["example"] ?? (reference is null ? null : schemas[reference.Split('/')[^1]]?["example"]);
            Assert.True(example is not null, $"{path}: the request body has no example");
            // The examples are the seed's own records: the same with a new id (trade records: a new year) is new.
            var fresh = example!.DeepClone().AsObject();
            if (fresh["id"] is not null)
            {
                fresh["id"] = $"{fresh["id"]}-again";
            }
            else if (fresh["year"] is not null)
            {
                fresh["year"] = 2099;
            }
            var response = await client.PostAsync(path, new StringContent(fresh.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != 201)
            {
                failures.Add($"POST {path} with its example: {(int)response.StatusCode} {text}");
                continue;
            }
            var errors = new List<string>();
            SchemaValidator.Validate(JsonDocument.Parse(text).RootElement, operation["responses"]!["201"]!["content"]!["application/json"]!["schema"]!, schemas, "$", errors);
            failures.AddRange(errors.Select(e => $"POST {path}: {e}"));
            created++;
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(created >= 5, $"Only {created} creates.");
    }

    [Fact]
    public void The_validator_finds_what_it_should()
    {
        var schemas = new JsonObject { ["Place"] = JsonNode.Parse("""{ "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } }""") };
        var schema = JsonNode.Parse("""
            { "type": "object", "required": ["a"], "additionalProperties": false,
              "properties": { "a": { "type": "string", "pattern": "^[a-z]+$", "maxLength": 3 }, "b": { "type": "integer", "minimum": 0, "nullable": true },
                              "c": { "type": "array", "items": { "type": "string", "enum": ["x"] } },
                              "p": { "allOf": [{ "$ref": "#/components/schemas/Place" }] },
                              "q": { "type": "object", "allOf": [{ "$ref": "#/components/schemas/Place" }], "nullable": true } } }
            """)!;
        List<string> Errors(string json)
        {
            var errors = new List<string>();
            SchemaValidator.Validate(JsonDocument.Parse(json).RootElement, schema, schemas, "$", errors);
            return errors;
        }

        Assert.Empty(Errors("""{ "a": "ab", "b": null, "c": ["x"] }"""));
        Assert.Contains(Errors("""{ "b": 1 }"""), e => e.Contains("'a' is required", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": "A.b" }"""), e => e.Contains("pattern", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": "abcd" }"""), e => e.Contains("longer", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": "a", "b": -1 }"""), e => e.Contains("minimum", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": "a", "b": 1.5 }"""), e => e.Contains("integer", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": "a", "c": ["y"] }"""), e => e.Contains("enum", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": "a", "d": 1 }"""), e => e.Contains("not declared", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": null }"""), e => e.Contains("null", StringComparison.Ordinal));
        // A member pointing at a shared schema: required members inside it, null only where it says nullable.
        Assert.Empty(Errors("""{ "a": "a", "p": { "name": "Baku" }, "q": null }"""));
        Assert.Contains(Errors("""{ "a": "a", "p": null }"""), e => e.Contains("$.p: null", StringComparison.Ordinal));
        Assert.Contains(Errors("""{ "a": "a", "p": {} }"""), e => e.Contains("$.p: 'name' is required", StringComparison.Ordinal));
    }
}

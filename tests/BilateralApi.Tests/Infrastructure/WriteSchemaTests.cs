using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Infrastructure.Json;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The document against the validators: a write schema marks required exactly what its validator refuses
/// to go without, found by taking members out of the document's own example one at a time (the top level
/// and every nested object, list items included) and running the validator the endpoint runs. The partial
/// bodies (merge patch, fields=) require nothing, and the list envelope says what is always there.
/// </summary>
public sealed class WriteSchemaTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Each_write_schema_requires_what_its_validator_requires_and_nothing_more()
    {
        var (document, schemas) = await DocumentAsync();
        var writes = WriteSchemaNames(document);
        Assert.Superset(new HashSet<string> { "SourceWrite", "AgreementWrite", "EventWrite", "ClaimWrite", "TradeRecordWrite" }, writes);
        var failures = new List<string>();
        var checkedMembers = 0;
        foreach (var name in writes)
        {
            var type = typeof(Program).Assembly.GetTypes().Single(t => t.Name == name);
            var validator = (IValidator)factory.Services.GetRequiredService(typeof(IValidator<>).MakeGenericType(type));
            var schema = schemas[name]!;
            var example = schema["example"]!.DeepClone().AsObject();
            var exampleErrors = await ErrorsAsync(validator, type, example);
            Assert.True(exampleErrors.Count == 0, $"{name}: its example is not valid: {string.Join("; ", exampleErrors)}");
            checkedMembers += await WalkAsync(validator, type, example, example, schema, schemas, "", name, failures);
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(checkedMembers > 60, $"Only {checkedMembers} members checked.");
    }

    [Fact]
    public async Task Merge_patch_bodies_require_nothing_and_allow_what_the_write_allows()
    {
        var (document, schemas) = await DocumentAsync();
        var patches = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (item!["patch"]?["requestBody"]?["content"]?["application/merge-patch+json"]?["schema"]?["$ref"]?.GetValue<string>() is not { } reference)
            {
                continue;
            }
            var patch = schemas[reference.Split('/')[^1]]!;
            var write = Named(item["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!)!;
            Assert.True(patch["required"] is null, $"PATCH {path}: the merge patch body requires {patch["required"]?.ToJsonString()}");
            Assert.Equal(schemas[write]!["properties"]!.AsObject().Select(p => p.Key).Order(), patch["properties"]!.AsObject().Select(p => p.Key).Order());
            // A nested object merges into the stored one, so the patch of a date may give only its end.
            foreach (var (member, property) in patch["properties"]!.AsObject())
            {
                if (property!["allOf"]?[0]?["$ref"]?.GetValue<string>() is { } nested)
                {
                    Assert.True(schemas[nested.Split('/')[^1]]!["required"] is null, $"PATCH {path}: '{member}' requires members of {nested}");
                }
            }
            patches++;
        }
        Assert.Equal(5, patches);
    }

    [Fact]
    public async Task A_list_page_always_has_items_and_page_with_its_limit()
    {
        var (document, schemas) = await DocumentAsync();
        var pages = schemas.Where(s => s.Key.EndsWith("ListPage", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pages);
        foreach (var (name, page) in pages)
        {
            Assert.Equal(["items", "page"], page!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
            Assert.True(page["properties"]!["facets"] is null || page["properties"]!["facets"]!["nullable"] is null, $"{name}.facets is absent without facet=, never null");
        }
        var info = schemas["PageInfo"]!;
        Assert.Equal(["limit"], info["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        foreach (var optional in new[] { "nextCursor", "next", "total", "totalTruncated" })
        {
            Assert.True(info["properties"]![optional]!["nullable"] is null, $"page.{optional} is absent when it does not apply, never null");
        }
        // Every list with fields= names the partial page its sparse answers match.
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            var fields = item!["get"]?["parameters"]?.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == "fields");
            if (fields is not null)
            {
                var sparse = fields["x-fields-schema"]?["$ref"]?.GetValue<string>();
                Assert.True(sparse is not null && schemas[sparse.Split('/')[^1]] is not null, $"GET {path}: fields= names no partial page schema");
            }
        }
    }

    /// <summary>Checks one object of the example against its schema, then its nested objects; returns the members checked.</summary>
    private static async Task<int> WalkAsync(IValidator validator, Type type, JsonObject root, JsonObject node, JsonNode schema, JsonObject schemas, string path, string name, List<string> failures)
    {
        schema = Target(schema, schemas)!;
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        var properties = schema["properties"]!.AsObject();
        var present = properties.Where(p => node.ContainsKey(p.Key) && p.Value!["readOnly"] is null).Select(p => p.Key).ToList();
        var count = 0;
        foreach (var member in required.Where(r => !node.ContainsKey(r)))
        {
            failures.Add($"{name}: the example has no '{At(path, member)}', which the schema requires");
        }
        foreach (var member in present)
        {
            var at = At(path, member);
            var errors = await ErrorsAsync(validator, type, Without(root, node, member));
            var refused = errors.Any(e => e.StartsWith(at + ":", StringComparison.Ordinal));
            if (required.Contains(member))
            {
                if (!refused)
                {
                    failures.Add($"{name}: '{at}' is required in the schema, but the validator accepts a body without it");
                }
                if (properties[member]!["nullable"]?.GetValue<bool>() == true)
                {
                    failures.Add($"{name}: '{at}' is required and refused as null, but the schema says nullable");
                }
            }
            else if (refused)
            {
                // Optional, but refused here: the validator may require it only together with another optional member
                // (a claim's value with its qualifier). Then some body without both is accepted.
                var acceptedWithout = false;
                foreach (var other in present.Where(o => o != member && !required.Contains(o)))
                {
                    var both = Without(root, node, member);
                    Remove(both, node, other);
                    if (!(await ErrorsAsync(validator, type, both)).Any(e => e.StartsWith(at + ":", StringComparison.Ordinal)))
                    {
                        acceptedWithout = true;
                        break;
                    }
                }
                if (!acceptedWithout)
                {
                    failures.Add($"{name}: the validator refuses a body without '{at}', but the schema does not require it: {string.Join("; ", errors)}");
                }
            }
            count++;
            switch (node[member])
            {
                case JsonObject nested when Target(properties[member]!, schemas) is { } target:
                    count += await WalkAsync(validator, type, root, nested, target, schemas, at, name, failures);
                    break;
                case JsonArray { Count: > 0 } list when list[0] is JsonObject first && properties[member]!["items"] is { } items:
                    count += await WalkAsync(validator, type, root, first, items, schemas, $"{at}[0]", name, failures);
                    break;
            }
        }
        return count;
    }

    private static async Task<List<string>> ErrorsAsync(IValidator validator, Type type, JsonObject body)
    {
        var value = JsonSerializer.Deserialize(body.ToJsonString(), type, JsonDefaults.Options)!;
        var context = (IValidationContext)Activator.CreateInstance(typeof(ValidationContext<>).MakeGenericType(type), value)!;
        var result = await validator.ValidateAsync(context);
        return [.. result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];
    }

    /// <summary>A copy of the whole body with <paramref name="member"/> taken out of <paramref name="node"/> (found by its path in the copy).</summary>
    private static JsonObject Without(JsonObject root, JsonObject node, string member)
    {
        var copy = root.DeepClone().AsObject();
        Remove(copy, node, member);
        return copy;
    }

    private static void Remove(JsonObject copy, JsonObject node, string member)
    {
        Find(copy, node.GetPath())!.AsObject().Remove(member);
    }

    /// <summary>Follows a JSONPath like $.participants[0].date in the copy.</summary>
    private static JsonNode? Find(JsonNode copy, string jsonPath)
    {
        JsonNode? current = copy;
        foreach (var step in jsonPath.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            current = current?[bracket < 0 ? step : step[..bracket]];
            if (bracket >= 0)
            {
                current = current?[int.Parse(step[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
            }
        }
        return current;
    }

    private static string At(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";

    /// <summary>The object schema a member points at: through $ref or a nullable allOf wrapper, else the inline schema.</summary>
    private static JsonNode? Target(JsonNode schema, JsonObject schemas) =>
        (schema["$ref"] ?? schema["allOf"]?[0]?["$ref"])?.GetValue<string>() is { } reference
            ? Target(schemas[reference.Split('/')[^1]]!, schemas)
            : schema["properties"] is null ? null : schema;

    private async Task<(JsonNode Document, JsonObject Schemas)> DocumentAsync()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        return (document, document["components"]!["schemas"]!.AsObject());
    }

    /// <summary>The schemas of the JSON bodies of POST and PUT.</summary>
    private static HashSet<string> WriteSchemaNames(JsonNode document) =>
        document["paths"]!.AsObject()
            .SelectMany(p => new[] { p.Value!["post"], p.Value["put"] })
            .Select(o => o?["requestBody"]?["content"]?["application/json"]?["schema"] is { } body ? Named(body) : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The component a body schema names, directly or through the allOf that carries its example.</summary>
    private static string? Named(JsonNode schema) =>
        (schema["$ref"] ?? schema["allOf"]?[0]?["$ref"])?.GetValue<string>().Split('/')[^1];
}

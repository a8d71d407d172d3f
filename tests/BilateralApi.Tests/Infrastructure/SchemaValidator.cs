using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// Checks a JSON answer against an OpenAPI 3.0 schema of the document, as a validating client or a
/// schema-checking fuzzer would: the subset the document uses ($ref, allOf, nullable, type, required,
/// properties, additionalProperties, items, maxItems, enum, pattern, min/maxLength, minimum/maximum).
/// </summary>
internal static class SchemaValidator
{
    public static void Validate(JsonElement value, JsonNode schema, JsonObject schemas, string at, List<string> errors)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Validate(value, schemas[reference.Split('/')[^1]]!, schemas, at, errors);
            return;
        }
        var nullable = schema["nullable"]?.GetValue<bool>() == true;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable && (schema["type"] is not null || schema["allOf"] is not null || schema["$ref"] is not null))
            {
                errors.Add($"{at}: null, but the schema is not nullable");
            }
            return;
        }
        foreach (var part in schema["allOf"]?.AsArray() ?? [])
        {
            Validate(value, part!, schemas, at, errors);
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonElement.DeepEquals(JsonSerializer.SerializeToElement(v), value)))
        {
            errors.Add($"{at}: {value.GetRawText()} is not in the enum");
        }
        switch (schema["type"]?.GetValue<string>())
        {
            case "object":
                if (Expect(value, JsonValueKind.Object, at, errors))
                {
                    ValidateObject(value, schema, schemas, at, errors);
                }
                break;
            case "array":
                if (Expect(value, JsonValueKind.Array, at, errors))
                {
                    var index = 0;
                    foreach (var element in value.EnumerateArray())
                    {
                        if (schema["items"] is { } items)
                        {
                            Validate(element, items, schemas, $"{at}[{index}]", errors);
                        }
                        index++;
                    }
                    if (schema["maxItems"]?.GetValue<long>() is { } maxItems && index > maxItems)
                    {
                        errors.Add($"{at}: {index} items, more than maxItems {maxItems}");
                    }
                }
                break;
            case "string":
                if (Expect(value, JsonValueKind.String, at, errors))
                {
                    var text = value.GetString()!;
                    var length = text.EnumerateRunes().Count();
                    if (schema["maxLength"]?.GetValue<long>() is { } max && length > max)
                    {
                        errors.Add($"{at}: '{Short(text)}' is longer than maxLength {max}");
                    }
                    if (schema["minLength"]?.GetValue<long>() is { } min && length < min)
                    {
                        errors.Add($"{at}: '{Short(text)}' is shorter than minLength {min}");
                    }
                    if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        errors.Add($"{at}: '{Short(text)}' does not match the pattern {pattern}");
                    }
                }
                break;
            case "integer" or "number":
                if (Expect(value, JsonValueKind.Number, at, errors))
                {
                    var number = value.GetDecimal();
                    if (schema["type"]!.GetValue<string>() == "integer" && decimal.Truncate(number) != number)
                    {
                        errors.Add($"{at}: {number} is not an integer");
                    }
                    if (Limit(schema["minimum"]) is { } minimum && number < minimum)
                    {
                        errors.Add($"{at}: {number} is below the minimum {minimum}");
                    }
                    if (Limit(schema["maximum"]) is { } maximum && number > maximum)
                    {
                        errors.Add($"{at}: {number} is above the maximum {maximum}");
                    }
                }
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add($"{at}: {value.ValueKind}, expected a boolean");
                }
                break;
        }
    }

    private static void ValidateObject(JsonElement value, JsonNode schema, JsonObject schemas, string at, List<string> errors)
    {
        var properties = schema["properties"]?.AsObject();
        foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            if (!value.TryGetProperty(required, out _))
            {
                errors.Add($"{at}: '{required}' is required");
            }
        }
        foreach (var member in value.EnumerateObject())
        {
            if (properties?[member.Name] is { } declared)
            {
                Validate(member.Value, declared, schemas, $"{at}.{member.Name}", errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Validate(member.Value, additional, schemas, $"{at}.{member.Name}", errors);
            }
            else if (schema["additionalProperties"]?.GetValueKind() == JsonValueKind.False)
            {
                errors.Add($"{at}: '{member.Name}' is not declared");
            }
        }
    }

    private static bool Expect(JsonElement value, JsonValueKind kind, string at, List<string> errors)
    {
        if (value.ValueKind == kind)
        {
            return true;
        }
        errors.Add($"{at}: {value.ValueKind}, expected {kind}");
        return false;
    }

    private static decimal? Limit(JsonNode? node) =>
        node is null ? null : decimal.TryParse(node.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var limit) ? limit : null;

    private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;
}

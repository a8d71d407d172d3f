using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Infrastructure.Json;

namespace BilateralApi.Infrastructure.Http;

/// <summary>JSON Merge Patch (RFC 7396): applies a patch document to the write shape of a record.</summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject is { } targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }
        return result;
    }

    /// <summary>
    /// Patches <paramref name="current"/> (the record's write shape) with <paramref name="patch"/> and reads
    /// the result back strictly, so a patch can add no member the write shape does not have.
    /// </summary>
    public static T ApplyTo<T>(T current, JsonElement patch)
    {
        var target = JsonSerializer.SerializeToNode(current, JsonDefaults.Options);
        var merged = Apply(target, JsonNode.Parse(patch.GetRawText()));
        return merged.Deserialize<T>(JsonDefaults.Options)
            ?? throw new JsonException("The patch removes the whole document.") { };
    }

    public static bool IsMergePatch(HttpRequest request) =>
        request.ContentType is { } type && type.Split(';')[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);
}

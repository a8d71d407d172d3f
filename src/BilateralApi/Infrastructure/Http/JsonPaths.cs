using System.Text.Json;
using System.Text.RegularExpressions;

namespace BilateralApi.Infrastructure.Http;

/// <summary>Turns System.Text.Json error locations into the field names clients use, without leaking .NET type names.</summary>
public static partial class JsonPaths
{
    /// <summary>"$.parties[0].country" becomes "parties[0].country"; the root is "$".</summary>
    public static string ToFieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "$";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        field = QuotedMember().Replace(field, m => "." + m.Groups[1].Value).TrimStart('.');
        return field.Length == 0 ? "$" : field;
    }

    public static string Describe(JsonException exception)
    {
        var message = exception.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "This member is not part of the request shape. Remove it (unknown members are rejected, not ignored).";
        }
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "This member appears more than once.";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "The value has the wrong JSON type or is out of range (numbers must be JSON numbers within range, text must be a JSON string, lists must be arrays).";
        }
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return "The document is nested too deeply.";
        }
        return "The body is not well-formed JSON at this position" +
            (exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})." : ".");
    }

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex QuotedMember();
}

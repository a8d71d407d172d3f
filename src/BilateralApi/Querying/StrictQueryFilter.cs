using BilateralApi.Infrastructure.Http;
using Microsoft.Extensions.Primitives;

namespace BilateralApi.Querying;

/// <summary>
/// Rejects query parameters an endpoint does not declare, and declared ones given more than once,
/// with a 400 that names the parameter and lists the allowed ones. The allowed names come from the
/// handler's own parameters and, for lists, their field maps (<see cref="FieldParameters"/>) — the same
/// sources the OpenAPI document is written from, so the document and the check cannot drift apart.
/// </summary>
public static class StrictQueryFilter
{
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var declared = FieldParameters.DeclaredNames(context.MethodInfo);
        HashSet<string>? allowed = null;
        return invocation =>
        {
            // The per-field parameters of a list come from its field map (endpoint metadata), known once the endpoint runs.
            allowed ??= [.. declared, .. FieldParameters.GenericNames(invocation.HttpContext.GetEndpoint())];
            if (Check(invocation.HttpContext.Request.Query.Select(q => (q.Key, q.Value)), allowed) is { } refused)
            {
                return ValueTask.FromResult<object?>(Problems.Parameter(refused.Key, refused.Message, refused.Code));
            }
            return next(invocation);
        };
    }

    /// <summary>The first parameter refused: unknown, given more than once, or holding a control character.</summary>
    public static (string Key, string Message, string Code)? Check(IEnumerable<(string Key, StringValues Values)> query, IReadOnlySet<string> allowed)
    {
        foreach (var (key, values) in query)
        {
            if (!allowed.Contains(key))
            {
                var hint = allowed.Count == 0 ? "This operation takes no query parameters." : $"Allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.";
                var suggestion = allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));
                var message = $"Unknown query parameter '{key}'. " + (suggestion is null ? hint : $"Did you mean '{suggestion}'? {hint}");
                return (key, message, Problems.UnknownParameter);
            }
            if (values.Count > 1)
            {
                return (key, $"'{key}' is given {values.Count} times; give it once (lists are comma-separated).", Problems.InvalidParameter);
            }
            if (ControlCharacter(values.ToString()) is { } at)
            {
                return (key, $"'{key}' holds the control character U+{(int)values.ToString()[at]:X4} at position {at + 1}; no parameter takes control characters other than tab and line breaks.", Problems.InvalidParameter);
            }
        }
        return null;
    }

    /// <summary>
    /// C0 controls other than tab, LF and CR, and DEL: no parameter means them, and some (NUL) reach
    /// SQLite's full-text parser as the end of the text. Refused here, once, for every parameter.
    /// </summary>
    private static readonly System.Buffers.SearchValues<char> Controls = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 32).Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\r')), '\u007f']);

    private static int? ControlCharacter(string value) => value.AsSpan().IndexOfAny(Controls) is var at and >= 0 ? at : null;
}

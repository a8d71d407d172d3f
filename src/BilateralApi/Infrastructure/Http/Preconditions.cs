using BilateralApi.Infrastructure.Security;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// Conditional requests (RFC 9110 §13) on items. A record's strong ETag is its version. Writes that
/// replace, patch or delete an existing record must say which version they change (If-Match), so no
/// edit silently overwrites another; the check runs inside the write transaction.
/// </summary>
public static class Preconditions
{
    public static string ETagFor(long version) => $"\"{version}\"";

    public enum Outcome
    {
        Proceed,
        Required,
        Failed,
    }

    /// <summary>Evaluates If-Match / If-None-Match of a write against the current version (null: no record yet).</summary>
    public static Outcome Evaluate(HttpRequest request, long? currentVersion)
    {
        var ifMatch = request.Headers.IfMatch;
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (currentVersion is null)
        {
            // Creating: If-Match names a version that does not exist (RFC 9110 §13.1.1).
            return ifMatch.Count > 0 ? Outcome.Failed : Outcome.Proceed;
        }
        if (ifNoneMatch.Count > 0 && Tags(ifNoneMatch).Any(t => t.Tag == "*"))
        {
            return Outcome.Failed;
        }
        if (ifMatch.Count == 0)
        {
            return IfMatchRequired(request) ? Outcome.Required : Outcome.Proceed;
        }
        var current = ETagFor(currentVersion.Value);
        // Weak tags never match for If-Match (strong comparison).
        return Tags(ifMatch).Any(t => t.Tag == "*" || (!t.IsWeak && t.Tag == current)) ? Outcome.Proceed : Outcome.Failed;
    }

    /// <summary>Security:RequireIfMatch (default true): without it a write that names no version overwrites.</summary>
    private static bool IfMatchRequired(HttpRequest request) =>
        request.HttpContext.RequestServices.GetService<IOptions<SecurityOptions>>()?.Value.RequireIfMatch ?? true;

    public static IResult Problem(Outcome outcome, string resource, string id) => outcome switch
    {
        Outcome.Required => Problems.Create(428, Problems.PreconditionRequired, "Precondition required",
            $"The {resource} '{id}' exists: send If-Match with its current ETag to change it."),
        _ => Problems.Stale($"The {resource} '{id}' is not at the version named in If-Match / If-None-Match; fetch it again."),
    };

    private static IEnumerable<(string Tag, bool IsWeak)> Tags(Microsoft.Extensions.Primitives.StringValues values) =>
        EntityTagHeaderValue.TryParseList(values, out var tags)
            ? tags.Select(t => (t.Tag.Value ?? string.Empty, t.IsWeak))
            : [("<invalid>", true)];
}

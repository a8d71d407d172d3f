using System.ComponentModel;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Querying;

/// <summary>The paging parameters every list takes.</summary>
public sealed class PageParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    [FromQuery(Name = "limit"), Description("Page size, 1 to 500 (default 50). Larger values are a 400, not a silent clamp.")]
    [Example("50")]
    public string? Limit { get; set; }

    [FromQuery(Name = "cursor"), Description("Opaque cursor from page.nextCursor of the previous page; only valid with the same filters.")]
    [Example("eyJGIjoiMEEzRjQ1NjciLCJLIjpbImFiYyJdfQ")]
    public string? Cursor { get; set; }

    /// <summary>The one rule for every page size: 1..500, default 50; anything else is an error, never clamped.</summary>
    public static bool TryParseLimit(string? raw, out int limit, out string? error)
    {
        limit = DefaultLimit;
        error = null;
        if (raw is null)
        {
            return true;
        }
        if (int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit)
        {
            return true;
        }
        error = $"'{raw}' is not a whole number from 1 to {MaxLimit}.";
        return false;
    }
}

/// <summary>
/// A validated page request: the limit, the decoded keyset position (null for the first page) and the
/// persisted cursor key (<see cref="CursorKeys"/>), so its cursors stay valid across restarts.
/// </summary>
public sealed record PageRequest(int Limit, string?[]? After, string Fingerprint, byte[] CursorKey)
{
    public static bool TryCreate(PageParameters parameters, string fingerprint, byte[] cursorKey, out PageRequest request, out (string Parameter, string Message)? error)
    {
        request = new PageRequest(PageParameters.DefaultLimit, null, fingerprint, cursorKey);
        error = null;
        if (!PageParameters.TryParseLimit(parameters.Limit, out var limit, out var limitError))
        {
            error = ("limit", limitError!);
            return false;
        }
        string?[]? after = null;
        if (parameters.Cursor is not null)
        {
            if (!Querying.Cursor.TryDecode(parameters.Cursor, fingerprint, cursorKey, out var keys, out var message))
            {
                error = ("cursor", message!);
                return false;
            }
            after = keys.Select(k => k?.ToString()).ToArray();
        }
        request = new PageRequest(limit, after, fingerprint, cursorKey);
        return true;
    }
}

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
        var limit = PageParameters.DefaultLimit;
        if (parameters.Limit is not null &&
            (!int.TryParse(parameters.Limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > PageParameters.MaxLimit))
        {
            error = ("limit", $"'{parameters.Limit}' is not a whole number from 1 to {PageParameters.MaxLimit}.");
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

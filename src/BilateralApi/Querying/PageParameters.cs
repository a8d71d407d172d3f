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

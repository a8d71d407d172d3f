using Microsoft.AspNetCore.WebUtilities;

namespace BilateralApi.Querying;

/// <summary>Turns the rows of one keyset query (fetched with limit + 1) into the page envelope and its Link header.</summary>
public static class PageResults
{
    public static ListPage<TItem> Create<TRow, TItem>(
        HttpContext httpContext,
        IReadOnlyList<TRow> rows,
        PageRequest request,
        Func<TRow, IReadOnlyList<object?>> keyOf,
        Func<TRow, TItem> map)
    {
        var hasMore = rows.Count > request.Limit;
        var items = rows.Take(request.Limit).Select(map).ToList();
        string? nextCursor = null;
        string? next = null;
        if (hasMore)
        {
            nextCursor = Cursor.Encode(keyOf(rows[request.Limit - 1]).Select(k => (object?)k?.ToString()).ToList(), request.Fingerprint, request.CursorKey);
            next = NextLink(httpContext, "cursor", nextCursor);
        }
        return new ListPage<TItem>(items, new PageInfo(request.Limit, nextCursor, next));
    }

    /// <summary>
    /// The relative URL of the next page (this request's query with <paramref name="parameter"/> set to
    /// <paramref name="value"/>), also sent as the Link rel="next" header.
    /// </summary>
    public static string NextLink(HttpContext httpContext, string parameter, string value)
    {
        var request = httpContext.Request;
        var query = request.Query
            .Where(q => q.Key != parameter)
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>(parameter, value));
        var next = QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
        httpContext.Response.Headers.Append("Link", $"<{next}>; rel=\"next\"");
        return next;
    }
}

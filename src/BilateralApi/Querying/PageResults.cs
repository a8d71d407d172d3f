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
            next = NextUrl(httpContext.Request, nextCursor);
            httpContext.Response.Headers.Append("Link", $"<{next}>; rel=\"next\"");
        }
        return new ListPage<TItem>(items, new PageInfo(request.Limit, nextCursor, next));
    }

    private static string NextUrl(HttpRequest request, string cursor)
    {
        var query = request.Query
            .Where(q => q.Key != "cursor")
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>("cursor", cursor));
        return QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
    }
}

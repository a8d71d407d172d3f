using Microsoft.AspNetCore.WebUtilities;

namespace BilateralApi.Querying;

/// <summary>The next-page link of every list: the page's next URL and its Link header.</summary>
public static class PageLinks
{
    /// <summary>
    /// The relative URL of the next page (this request's query with <paramref name="parameter"/> set to
    /// <paramref name="value"/>), also sent as the Link rel="next" header.
    /// </summary>
    public static string Next(HttpContext httpContext, string parameter, string value)
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

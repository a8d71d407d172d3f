using BilateralApi.Infrastructure.Database;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// Weak ETags on lists. Every write appends to the change log in its own transaction,
/// so the newest change-log seq versions all stored data; with the build's id (code that changes a
/// representation changes the tag too) it makes <c>W/"&lt;seq&gt;-&lt;build&gt;"</c>. The tag is read
/// before the list, so a write that lands in between only makes the tag older than the body (the next
/// request then gets a full answer), never newer. If-None-Match with the current tag answers 304
/// without running the query.
/// </summary>
public static class CollectionETags
{
    private static readonly string Build = typeof(CollectionETags).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];

    /// <summary>The endpoint filter that <see cref="EndpointBehaviours.WithListETag"/> attaches.</summary>
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            return await next(invocation);
        }
        long seq;
        await using (var connection = await http.RequestServices.GetRequiredService<IStoreConnections>().OpenAsync(http.RequestAborted))
        {
            seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(ChangeLog.LatestSeq, cancellationToken: http.RequestAborted));
        }
        var etag = $"W/\"{seq}-{Build}\"";
        if (EndpointBehaviours.NoneMatch(http.Request, etag))
        {
            http.Response.Headers.ETag = etag;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var result = await next(invocation);
        var inner = result;
        while (inner is INestedHttpResult nested)
        {
            inner = nested.Result;
        }
        if (inner is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK } || (inner is not null && IsList(inner.GetType())))
        {
            http.Response.Headers.ETag = etag;
        }
        return result;
    }

    /// <summary>A page or export of the query language (always 200 when it is the result).</summary>
    private static bool IsList(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ListPage<>) || type.GetGenericTypeDefinition() == typeof(ListResult<>));
}

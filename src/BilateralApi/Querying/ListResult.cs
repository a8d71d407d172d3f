using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using nietras.SeparatedValues;

namespace BilateralApi.Querying;

/// <summary>
/// The answer of a list: a JSON page (envelope, Link, X-Total-Count), or a streamed CSV / NDJSON
/// export of every matching row. HEAD gets the same status and headers without a body.
/// </summary>
public sealed class ListResult<TItem> : IResult, IEndpointMetadataProvider
{
    private readonly ListPlan _plan;
    private readonly JsonSerializerOptions _json;
    private readonly ListPageData? _page;
    private readonly IAsyncEnumerable<IReadOnlyList<JsonObject>>? _export;

    internal ListResult(ListPlan plan, JsonSerializerOptions json, ListPageData? page, IAsyncEnumerable<IReadOnlyList<JsonObject>>? export)
    {
        _plan = plan;
        _json = json;
        _page = page;
        _export = export;
    }

    /// <summary>The page written as JSON (null for an export).</summary>
    public ListPageData? Page => _page;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var head = HttpMethods.IsHead(httpContext.Request.Method);
        if (_page is null)
        {
            await ExportAsync(httpContext, head);
            return;
        }
        string? next = null;
        if (_page.NextCursor is not null)
        {
            next = NextUrl(httpContext.Request, _page.NextCursor);
            response.Headers.Append("Link", $"<{next}>; rel=\"next\"");
        }
        if (_page.Total is { } total)
        {
            response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        if (head)
        {
            return;
        }
        var pageInfo = new JsonObject { ["limit"] = _page.Limit };
        if (_page.NextCursor is not null)
        {
            pageInfo["nextCursor"] = _page.NextCursor;
            pageInfo["next"] = next;
        }
        if (_page.Total is not null)
        {
            pageInfo["total"] = _page.Total;
            if (_page.TotalTruncated)
            {
                pageInfo["totalTruncated"] = true;
            }
        }
        var root = new JsonObject { ["items"] = new JsonArray([.. _page.Items]), ["page"] = pageInfo };
        if (_page.Facets is not null)
        {
            root["facets"] = JsonSerializer.SerializeToNode(_page.Facets, _json);
        }
        await JsonSerializer.SerializeAsync(response.Body, root, _json, httpContext.RequestAborted);
    }

    private async Task ExportAsync(HttpContext httpContext, bool head)
    {
        var response = httpContext.Response;
        var csv = _plan.Format == ListFormat.Csv;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        response.Headers.ContentDisposition = $"inline; filename=\"{_plan.Resource.Name}.{(csv ? "csv" : "ndjson")}\"";
        if (head)
        {
            return;
        }
        var columns = CsvColumns.For(typeof(TItem), _json).Where(c => _plan.Shaper.Fields is not { } f || f.Contains(c.Path[0])).ToList();
        // Sep writes to a TextWriter synchronously; Kestrel forbids synchronous writes to the response,
        // so each batch is written to a buffer that is then copied asynchronously (memory stays one batch).
        var buffer = new StringWriter(CultureInfo.InvariantCulture);
        using var writer = csv ? Sep.New(',').Writer(o => o with { Escape = true }).To(buffer) : null;
        if (writer is not null)
        {
            writer.Header.Add(columns.Select(c => c.Name).ToArray());
            writer.Header.Write();
        }
        var started = false;
        try
        {
            await foreach (var batch in _export!.WithCancellation(httpContext.RequestAborted))
            {
                foreach (var item in batch)
                {
                    if (writer is not null)
                    {
                        using var row = writer.NewRow();
                        foreach (var column in columns)
                        {
                            row[column.Name].Set(CsvColumns.Cell(item, column));
                        }
                    }
                    else
                    {
                        buffer.Write(item.ToJsonString(_json));
                        buffer.Write('\n');
                    }
                }
                writer?.Flush();
                started = true;
                await response.WriteAsync(buffer.ToString(), Encoding.UTF8, httpContext.RequestAborted);
                buffer.GetStringBuilder().Clear();
            }
        }
        catch (QueryTimeoutException) when (!started && !response.HasStarted)
        {
            response.Headers.RetryAfter = "5";
            response.Headers.ContentDisposition = default;
            await Problems.Create(503, ListQuery.QueryTimeout, "Query timeout", "The export took longer than its time budget and was stopped.").ExecuteAsync(httpContext);
        }
    }

    private static string NextUrl(HttpRequest request, string cursor)
    {
        var query = request.Query
            .Where(q => q.Key != "cursor")
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>("cursor", cursor));
        return QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ListPage<TItem>), ["application/json", "text/csv", "application/x-ndjson"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
    }
}

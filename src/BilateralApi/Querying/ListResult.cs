using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;

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
    private readonly IAsyncEnumerable<IReadOnlyList<byte[]>>? _export;

    internal ListResult(ListPlan plan, JsonSerializerOptions json, ListPageData? page, IAsyncEnumerable<IReadOnlyList<byte[]>>? export)
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
            await ExportAsync(httpContext);
            return;
        }
        string? next = null;
        if (_page.NextCursor is not null)
        {
            next = PageLinks.Next(httpContext, "cursor", _page.NextCursor);
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

    private async Task ExportAsync(HttpContext httpContext)
    {
        try
        {
            await ExportWriter.WriteAsync<TItem>(httpContext, _plan.Format, _plan.Resource.Name, _json, _plan.Shaper.Fields, _export!);
        }
        catch (InvalidRawSearchException) when (!httpContext.Response.HasStarted)
        {
            // SQLite reads a raw search expression only when the first batch runs: the export has begun, but nothing was sent yet.
            httpContext.Response.Headers.ContentDisposition = default;
            await FullText.InvalidRawSyntax().ExecuteAsync(httpContext);
        }
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ListPage<TItem>), ["application/json", "text/csv", "application/x-ndjson"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"])
        {
            Description = $"{QueryBudget.TimeoutDescription} Or, {ExportGate.BusyDescription}",
        });
        builder.Metadata.Add(ExportableMetadata.Instance);
    }
}

/// <summary>
/// Marks the lists: a request for CSV or NDJSON (<see cref="ListQuery.AsksForExport"/>) streams every row, bulk
/// work. The OpenAPI document reads it too: those two answers are text streams, not the JSON page.
/// </summary>
public sealed class ExportableMetadata
{
    public static readonly ExportableMetadata Instance = new();

    /// <summary>The export media types and what each stream holds.</summary>
    public static readonly IReadOnlyList<(string MediaType, string Schema, string Description)> Streams =
    [
        ("text/csv", "CsvExport",
            "Every matching row as CSV (RFC 4180, UTF-8): a header line naming the item's fields (those of fields= when given), then one line per item, in the list's order, with no page limit. Lists of plain values are joined with |, objects as their compact JSON; a text cell beginning with =, +, -, @, tab or carriage return is prefixed with an apostrophe so that a spreadsheet does not run it (numbers stay numbers)."),
        ("application/x-ndjson", "NdjsonExport",
            "Every matching row as NDJSON: one JSON item per line (the list's item shape, or only the members of fields=), in the list's order, with no page limit."),
    ];

    private ExportableMetadata()
    {
    }
}

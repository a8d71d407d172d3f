using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using nietras.SeparatedValues;

namespace BilateralApi.Querying;

/// <summary>
/// Writes a streamed export (API.md §4): CSV with the flat columns of <see cref="CsvColumns"/> or NDJSON,
/// one batch at a time, so memory stays one batch whatever the row count. Every list's export and the
/// dyad timeline's go through here.
/// </summary>
public static class ExportWriter
{
    public static async Task WriteAsync<TItem>(HttpContext httpContext, ListFormat format, string name, JsonSerializerOptions json,
        IReadOnlySet<string>? fields, IAsyncEnumerable<IReadOnlyList<JsonObject>> batches)
    {
        var response = httpContext.Response;
        var csv = format == ListFormat.Csv;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        response.Headers.ContentDisposition = $"inline; filename=\"{name}.{(csv ? "csv" : "ndjson")}\"";
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            return;
        }
        var columns = CsvColumns.For(typeof(TItem), json).Where(c => fields is null || fields.Contains(c.Path[0])).ToList();
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
            await foreach (var batch in batches.WithCancellation(httpContext.RequestAborted))
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
                        buffer.Write(item.ToJsonString(json));
                        buffer.Write('\n');
                    }
                }
                writer?.Flush();
                started = true;
                await response.WriteAsync(buffer.ToString(), Encoding.UTF8, httpContext.RequestAborted);
                buffer.GetStringBuilder().Clear();
            }
            if (!started)
            {
                // No batch at all: the CSV header still goes out.
                writer?.Flush();
                await response.WriteAsync(buffer.ToString(), Encoding.UTF8, httpContext.RequestAborted);
            }
        }
        catch (QueryTimeoutException) when (!started && !response.HasStarted)
        {
            response.Headers.RetryAfter = "5";
            response.Headers.ContentDisposition = default;
            await Problems.Create(503, QueryBudget.TimeoutCode, "Query timeout", "The export took longer than its time budget and was stopped.").ExecuteAsync(httpContext);
        }
    }

    /// <summary>Serializes items as the JSON page would show them, for the writer.</summary>
    public static IReadOnlyList<JsonObject> ToJson<TItem>(IEnumerable<TItem> items, JsonSerializerOptions json) =>
        items.Select(i => JsonSerializer.SerializeToNode(i, json)!.AsObject()).ToList();
}

/// <summary>
/// The answer of a list that is not (yet) on <see cref="ListQuery"/> but pages and exports like one:
/// a JSON page, or every matching row streamed by <see cref="ExportWriter"/>.
/// </summary>
public sealed class PageOrExport<TItem> : IResult, IEndpointMetadataProvider
{
    private readonly ListPage<TItem>? _page;
    private readonly ListFormat _format;
    private readonly string _name;
    private readonly IAsyncEnumerable<IReadOnlyList<TItem>>? _export;

    private PageOrExport(ListPage<TItem>? page, ListFormat format, string name, IAsyncEnumerable<IReadOnlyList<TItem>>? export)
    {
        _page = page;
        _format = format;
        _name = name;
        _export = export;
    }

    /// <summary>One JSON page.</summary>
    public PageOrExport(ListPage<TItem> page)
        : this(page, ListFormat.Json, "", null)
    {
    }

    /// <summary>Every row, streamed as CSV or NDJSON in batches; <paramref name="name"/> names the file.</summary>
    public PageOrExport(ListFormat format, string name, IAsyncEnumerable<IReadOnlyList<TItem>> batches)
        : this(null, format, name, batches)
    {
    }

    /// <summary>The JSON page (null for an export).</summary>
    public ListPage<TItem>? Value => _page;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (_page is not null)
        {
            return TypedResults.Ok(_page).ExecuteAsync(httpContext);
        }
        var json = httpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return ExportWriter.WriteAsync<TItem>(httpContext, _format, _name, json, null, Json(_export!, json));
    }

    private static async IAsyncEnumerable<IReadOnlyList<JsonObject>> Json(IAsyncEnumerable<IReadOnlyList<TItem>> batches, JsonSerializerOptions json)
    {
        await foreach (var batch in batches)
        {
            yield return ExportWriter.ToJson(batch, json);
        }
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ListPage<TItem>), ["application/json", "text/csv", "application/x-ndjson"]));
}

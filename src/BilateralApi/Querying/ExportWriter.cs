using System.Globalization;
using System.Text;
using System.Text.Json;
using BilateralApi.Infrastructure.Http;
using nietras.SeparatedValues;

namespace BilateralApi.Querying;

/// <summary>
/// Writes a streamed export (docs/querying.md#export): CSV with the flat columns of <see cref="CsvColumns"/> or NDJSON,
/// one batch at a time, so memory stays one batch whatever the row count. Every list's export and the
/// dyad timeline's go through here.
/// </summary>
public static class ExportWriter
{
    public static async Task WriteAsync<TItem>(HttpContext httpContext, ListFormat format, string name, JsonSerializerOptions json,
        IReadOnlySet<string>? fields, IAsyncEnumerable<IReadOnlyList<byte[]>> batches)
    {
        var response = httpContext.Response;
        var csv = format == ListFormat.Csv;
        var head = HttpMethods.IsHead(httpContext.Request.Method);
        var gate = httpContext.RequestServices.GetRequiredService<ExportGate>();
        // HEAD streams nothing, so it needs no slot.
        using var slot = head ? null : gate.TryEnter();
        if (!head && slot is null)
        {
            await gate.BusyProblem(httpContext).ExecuteAsync(httpContext);
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        response.Headers.ContentDisposition = $"inline; filename=\"{name}.{(csv ? "csv" : "ndjson")}\"";
        if (head)
        {
            return;
        }
        var columns = CsvColumns.For(typeof(TItem), json).Where(c => fields is null || fields.Contains(c.Path[0])).ToList();
        // Sep writes to a TextWriter synchronously; Kestrel forbids synchronous writes to the response,
        // so each batch is written to a buffer that is then copied asynchronously (memory stays one batch).
        var buffer = new StringWriter(CultureInfo.InvariantCulture);
        var lines = new MemoryStream();
        // Cells come quoted (and formula text neutralised) from CsvColumns.Cell, so the writer must not escape again.
        using var writer = csv ? Sep.New(',').Writer(o => o with { Escape = false }).To(buffer) : null;
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
                gate.BatchRead();
                foreach (var item in batch)
                {
                    if (writer is not null)
                    {
                        using var document = JsonDocument.Parse(item);
                        using var row = writer.NewRow();
                        for (var i = 0; i < columns.Count; i++)
                        {
                            row[i].Set(CsvColumns.Cell(document.RootElement, columns[i]));
                        }
                    }
                    else
                    {
                        // NDJSON: the item's UTF-8 JSON as serialised, one per line.
                        lines.Write(item);
                        lines.WriteByte((byte)'\n');
                    }
                }
                started = true;
                if (writer is not null)
                {
                    writer.Flush();
                    await response.WriteAsync(buffer.ToString(), Encoding.UTF8, httpContext.RequestAborted);
                    buffer.GetStringBuilder().Clear();
                }
                else
                {
                    await response.Body.WriteAsync(lines.GetBuffer().AsMemory(0, (int)lines.Length), httpContext.RequestAborted);
                    lines.SetLength(0);
                }
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
}

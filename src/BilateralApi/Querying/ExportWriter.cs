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
        var progress = new ExportProgress();
        try
        {
            await WriteRowsAsync<TItem>(response.Body, format, json, fields, batches, gate.BatchRead, progress, httpContext.RequestAborted);
        }
        catch (QueryTimeoutException) when (!progress.Started && !response.HasStarted)
        {
            response.Headers.RetryAfter = "5";
            response.Headers.ContentDisposition = default;
            await Problems.Create(503, QueryBudget.TimeoutCode, "Query timeout", "The export took longer than its time budget and was stopped.").ExecuteAsync(httpContext);
        }
    }

    /// <summary>Whether any row (or the CSV header) has been written: until then a failure can still be answered as a problem.</summary>
    public sealed class ExportProgress
    {
        public bool Started { get; set; }
    }

    /// <summary>
    /// The rows of an export as CSV or NDJSON on <paramref name="output"/>, a batch at a time; nothing is
    /// written before the first batch is read, so a query that fails at once leaves the output empty.
    /// </summary>
    public static async Task WriteRowsAsync<TItem>(Stream output, ListFormat format, JsonSerializerOptions json, IReadOnlySet<string>? fields,
        IAsyncEnumerable<IReadOnlyList<byte[]>> batches, Action? batchRead, ExportProgress progress, CancellationToken cancellationToken)
    {
        var columns = CsvColumns.For(typeof(TItem), json).Where(c => fields is null || fields.Contains(c.Path[0])).ToList();
        // Sep writes to a TextWriter synchronously; Kestrel forbids synchronous writes to the response,
        // so each batch is written to a buffer that is then copied asynchronously (memory stays one batch).
        var buffer = new StringWriter(CultureInfo.InvariantCulture);
        var lines = new MemoryStream();
        // Cells come quoted (and formula text neutralised) from CsvColumns.Cell, so the writer must not escape again.
        using var writer = format == ListFormat.Csv ? Sep.New(',').Writer(o => o with { Escape = false }).To(buffer) : null;
        if (writer is not null)
        {
            writer.Header.Add(columns.Select(c => c.Name).ToArray());
            writer.Header.Write();
        }
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            batchRead?.Invoke();
            foreach (var item in batch)
            {
                if (writer is not null)
                {
                    using var document = JsonDocument.Parse(item);
                    // The row goes to the in-memory buffer synchronously; Sep's NewRow(token) is for its async writer.
#pragma warning disable CA2016
                    using var row = writer.NewRow();
#pragma warning restore CA2016
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
            progress.Started = true;
            if (writer is not null)
            {
                writer.Flush();
                await output.WriteAsync(Encoding.UTF8.GetBytes(buffer.ToString()), cancellationToken);
                buffer.GetStringBuilder().Clear();
            }
            else
            {
                await output.WriteAsync(lines.GetBuffer().AsMemory(0, (int)lines.Length), cancellationToken);
                lines.SetLength(0);
            }
        }
        if (!progress.Started)
        {
            // No batch at all: the CSV header still goes out.
            writer?.Flush();
            await output.WriteAsync(Encoding.UTF8.GetBytes(buffer.ToString()), cancellationToken);
        }
    }
}

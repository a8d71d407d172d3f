using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Json;

namespace BilateralApi.Infrastructure.Import;

/// <summary>One record read from a JSON import body, or the reason it could not be read.</summary>
public readonly record struct JsonImportRow<T>(long Row, long? Line, T? Value, ImportError? Error);

/// <summary>
/// Streams records out of NDJSON (one JSON object per line) or a JSON array, with the same strict
/// reader as single writes. A line or element that is not a valid record is a rejected row; the
/// stream goes on. Only a body that cannot be split into records at all stops the import.
/// </summary>
public static class ImportJson
{
    /// <summary>No record is near this; a longer line is a broken file, not a record to buffer without limit.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    public static IAsyncEnumerable<JsonImportRow<T>> ReadAsync<T>(Stream body, ImportFormat format, CancellationToken cancellationToken) =>
        format == ImportFormat.Ndjson ? ReadNdjsonAsync<T>(body, cancellationToken) : ReadArrayAsync<T>(body, cancellationToken);

    public static async IAsyncEnumerable<JsonImportRow<T>> ReadNdjsonAsync<T>(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        long line = 0;
        long row = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (TryTakeLine(ref buffer, out var text))
                {
                    line++;
                    if (!IsBlank(text))
                    {
                        row++;
                        yield return Parse<T>(text, row, line);
                    }
                }
                if (read.IsCompleted)
                {
                    if (!buffer.IsEmpty && !IsBlank(buffer))
                    {
                        line++;
                        row++;
                        yield return Parse<T>(buffer, row, line);
                    }
                    reader.AdvanceTo(buffer.End);
                    break;
                }
                if (buffer.Length > MaxLineBytes)
                {
                    throw new ImportBodyException($"Line {line + 1} is longer than {MaxLineBytes} bytes; NDJSON has one record per line.");
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    public static async IAsyncEnumerable<JsonImportRow<T>> ReadArrayAsync<T>(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, JsonDefaults.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        long row = 0;
        try
        {
            while (true)
            {
                try
                {
                    if (!await elements.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (JsonException ex)
                {
                    throw new ImportBodyException($"The body is not a well-formed JSON array of records: {JsonPaths.Describe(ex)}", Problems.InvalidJson);
                }
                row++;
                JsonImportRow<T> result;
                try
                {
                    result = elements.Current.ValueKind == JsonValueKind.Object
                        ? new(row, null, elements.Current.Deserialize<T>(JsonDefaults.Options), null)
                        : new(row, null, default, new ImportError("$", null, "Each element of the array must be a JSON object (one record)."));
                }
                catch (JsonException ex)
                {
                    result = new(row, null, default, new ImportError(JsonPaths.ToFieldName(ex.Path), null, JsonPaths.Describe(ex)));
                }
                yield return result;
            }
        }
        finally
        {
            await elements.DisposeAsync();
        }
    }

    private static JsonImportRow<T> Parse<T>(ReadOnlySequence<byte> text, long row, long line)
    {
        try
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 32 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new(row, line, default, new ImportError("$", null, "Each line must be one JSON object (one record)."));
            }
            var value = JsonSerializer.Deserialize<T>(ref reader, JsonDefaults.Options);
            if (reader.Read())
            {
                return new(row, line, default, new ImportError("$", null, "A line holds one JSON object and nothing after it."));
            }
            return new(row, line, value, null);
        }
        catch (JsonException ex)
        {
            return new(row, line, default, new ImportError(JsonPaths.ToFieldName(ex.Path), null, JsonPaths.Describe(ex)));
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> text)
    {
        foreach (var segment in text)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }
        return true;
    }
}

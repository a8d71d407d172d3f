using System.Runtime.CompilerServices;
using System.Text.Json;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Import;

namespace BilateralApi.TradeRecords;

/// <summary>
/// A UN Comtrade+ API answer saved as it came: {"elapsedTime", "count", "data": [ {typeCode, …,
/// isAggregate}, … ], "error"}. The records of data have the members of the Comtrade+ CSV columns, so
/// each is handed on as a row of cells under a header (the member names of the first record) and read
/// by the CSV code. Streams: one record is held at a time. An empty data is an answer with no rows; an
/// answer whose error is not empty is refused as a whole.
/// </summary>
public sealed class ComtradeJson(Stream body)
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>No Comtrade record is near this; a longer one is a broken file.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private enum Phase { Start, Members, Data, End }

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private byte[] _buffer = new byte[InitialBuffer];
    private int _length;
    private bool _final;
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;

    /// <summary>The member names of the first record: the columns of every row. Empty until a record is read.</summary>
    public List<string> Header { get; } = [];

    public async IAsyncEnumerable<string[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = new List<string[]>();
        while (_phase != Phase.End)
        {
            if (!_final)
            {
                if (_length == _buffer.Length)
                {
                    if (_buffer.Length >= MaxRecordBytes)
                    {
                        throw new ImportBodyException($"A record of the Comtrade answer is longer than {MaxRecordBytes} bytes.", Problems.InvalidJson);
                    }
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
                var read = await body.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
                _length += read;
                _final = read == 0;
            }
            int consumed;
            try
            {
                consumed = Parse(rows);
            }
            catch (JsonException ex)
            {
                throw new ImportBodyException($"The body is not a well-formed UN Comtrade answer: {JsonPaths.Describe(ex)}", Problems.InvalidJson);
            }
            Array.Copy(_buffer, consumed, _buffer, 0, _length - consumed);
            _length -= consumed;
            foreach (var row in rows)
            {
                yield return row;
            }
            rows.Clear();
            if (_final && _phase != Phase.End && consumed == 0)
            {
                throw new ImportBodyException("The UN Comtrade answer ends before its closing brace.", Problems.InvalidJson);
            }
        }
    }

    /// <summary>Reads what the buffer holds; returns the bytes consumed (whole records and members only).</summary>
    private int Parse(List<string[]> rows)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _final, _state);
        var consumed = 0;
        while (true)
        {
            var before = reader;
            if (!reader.Read())
            {
                break;
            }
            switch (_phase)
            {
                case Phase.Start:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new ImportBodyException("A UN Comtrade answer is a JSON object with data, count, elapsedTime and error.", Problems.InvalidJson);
                    }
                    _phase = Phase.Members;
                    break;
                case Phase.Members when reader.TokenType == JsonTokenType.EndObject:
                    _phase = Phase.End;
                    break;
                case Phase.Members:
                    var member = reader.GetString();
                    if (!reader.Read())
                    {
                        reader = before;
                        goto done;
                    }
                    if (member == "data" && reader.TokenType == JsonTokenType.StartArray)
                    {
                        _phase = Phase.Data;
                        break;
                    }
                    if (!reader.TrySkip())
                    {
                        reader = before;
                        goto done;
                    }
                    if (member == "error" && reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } error)
                    {
                        throw new ImportBodyException($"The UN Comtrade answer reports an error: {error}", ImportHttp.InvalidBody);
                    }
                    break;
                case Phase.Data when reader.TokenType == JsonTokenType.EndArray:
                    _phase = Phase.Members;
                    break;
                case Phase.Data:
                    var start = (int)reader.TokenStartIndex;
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new ImportBodyException("Each element of the Comtrade answer's data must be a JSON object (one record).", Problems.InvalidJson);
                    }
                    if (!reader.TrySkip())
                    {
                        reader = before;
                        goto done;
                    }
                    rows.Add(Cells(_buffer.AsSpan(start, (int)reader.BytesConsumed - start)));
                    break;
            }
            consumed = (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (_phase == Phase.End)
            {
                break;
            }
        }
    done:
        return consumed;
    }

    private string[] Cells(ReadOnlySpan<byte> record)
    {
        using var document = JsonDocument.Parse(record.ToArray());
        if (Header.Count == 0)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (_index.TryAdd(property.Name, Header.Count))
                {
                    Header.Add(property.Name);
                }
            }
        }
        var cells = new string[Header.Count];
        Array.Fill(cells, string.Empty);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (_index.TryGetValue(property.Name, out var column))
            {
                cells[column] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
                    _ => property.Value.GetRawText(),
                };
            }
        }
        return cells;
    }
}

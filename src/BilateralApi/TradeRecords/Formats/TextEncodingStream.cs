namespace BilateralApi.TradeRecords;

/// <summary>
/// Gives the bytes of a text file as UTF-8, whichever of UTF-8 (with or without BOM) and Windows-1252 /
/// ISO-8859-1 it is in: Comtrade+ downloads come in both, with nothing in the file saying which. The
/// first non-ASCII byte decides: a valid UTF-8 sequence there means UTF-8 (passed through, BOM dropped),
/// anything else means Windows-1252 (a superset of ISO-8859-1 for printable text), transcoded byte by
/// byte. A file that is ASCII up to that byte reads the same either way, so the decision never
/// changes what was read before it. Streams: nothing is buffered beyond one read.
/// </summary>
public sealed class TextEncodingStream(Stream inner) : ReadOnlyStream
{
    private enum Mode { Undecided, Utf8, Windows1252 }

    private readonly byte[] _in = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _bomChecked;
    private Mode _mode = Mode.Undecided;

    /// <summary>"UTF-8", "Windows-1252", or null while the file has been ASCII so far.</summary>
    public string? Encoding => _mode switch
    {
        Mode.Utf8 => "UTF-8",
        Mode.Windows1252 => "Windows-1252",
        _ => null,
    };

    // Windows-1252 0x80..0x9F (0 = undefined: kept as the C1 control of the same number, as ISO-8859-1 does).
    private static readonly char[] High =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_end - _start < 4 && !_eof)
            {
                await FillAsync(cancellationToken);
            }
            if (!_bomChecked)
            {
                _bomChecked = true;
                if (_end - _start >= 3 && _in[_start] == 0xEF && _in[_start + 1] == 0xBB && _in[_start + 2] == 0xBF)
                {
                    _start += 3;
                    _mode = Mode.Utf8;
                }
            }
            if (_start == _end)
            {
                return 0;
            }
            var written = Convert(buffer.Span);
            if (written > 0)
            {
                return written;
            }
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_in, _start, _in, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end < _in.Length)
        {
            var read = await inner.ReadAsync(_in.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                _eof = true;
                return;
            }
            _end += read;
            if (_end - _start >= 4)
            {
                return;
            }
        }
    }

    private int Convert(Span<byte> output)
    {
        var written = 0;
        while (_start < _end && written < output.Length)
        {
            // Runs that need no conversion (everything once UTF-8 is decided, else ASCII) are copied in bulk.
            var pending = _in.AsSpan(_start, Math.Min(_end - _start, output.Length - written));
            var plain = _mode == Mode.Utf8 ? pending.Length : pending.IndexOfAnyInRange((byte)0x80, (byte)0xFF) is var at and >= 0 ? at : pending.Length;
            if (plain > 0)
            {
                pending[..plain].CopyTo(output[written..]);
                written += plain;
                _start += plain;
                continue;
            }
            var b = _in[_start];
            if (_mode == Mode.Undecided)
            {
                var sequence = Utf8SequenceLength(_in.AsSpan(_start, _end - _start));
                if (sequence == 0 && !_eof && written > 0)
                {
                    // Not enough bytes to judge: hand out what is converted, judge after the next fill.
                    return written;
                }
                if (sequence == 0 && !_eof && _end - _start < 4)
                {
                    return written;
                }
                _mode = sequence > 0 ? Mode.Utf8 : Mode.Windows1252;
                continue;
            }
            var c = b < 0xA0 ? High[b - 0x80] : (char)b;
            var length = c < 0x800 ? 2 : 3;
            if (output.Length - written < length)
            {
                break;
            }
            if (length == 2)
            {
                output[written++] = (byte)(0xC0 | (c >> 6));
            }
            else
            {
                output[written++] = (byte)(0xE0 | (c >> 12));
                output[written++] = (byte)(0x80 | ((c >> 6) & 0x3F));
            }
            output[written++] = (byte)(0x80 | (c & 0x3F));
            _start++;
        }
        return written;
    }

    /// <summary>The length of the well-formed UTF-8 sequence at the start of <paramref name="bytes"/>; 0 when it is not one (or is cut off).</summary>
    private static int Utf8SequenceLength(ReadOnlySpan<byte> bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes[..Math.Min(bytes.Length, LeadLength(bytes[0]))]) && bytes.Length >= LeadLength(bytes[0]) ? LeadLength(bytes[0]) : 0;

    private static int LeadLength(byte lead) => lead switch
    {
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 1,
    };

}

/// <summary>The bytes already read to recognise a file, then the rest of the stream.</summary>
public sealed class ReplayStream(byte[] head, int length, Stream rest) : ReadOnlyStream
{
    private int _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < length)
        {
            var count = Math.Min(buffer.Length, length - _position);
            head.AsSpan(_position, count).CopyTo(buffer.Span);
            _position += count;
            return count;
        }
        return await rest.ReadAsync(buffer, cancellationToken);
    }

    /// <summary>Reads up to <paramref name="size"/> bytes of <paramref name="source"/> to look at, and a stream that still gives every byte.</summary>
    public static async Task<(ReplayStream Stream, byte[] Head, int Length)> PeekAsync(Stream source, int size, CancellationToken cancellationToken)
    {
        var head = new byte[size];
        var length = 0;
        while (length < size)
        {
            var read = await source.ReadAsync(head.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        return (new ReplayStream(head, length, source), head, length);
    }

}

/// <summary>A forward-only stream whose reads all go through <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.</summary>
public abstract class ReadOnlyStream : Stream
{
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

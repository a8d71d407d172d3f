namespace BilateralApi.Infrastructure.Import;

/// <summary>
/// Counts the outcome of each row of one import and keeps the first rejections and per-row results
/// (bounded lists, so memory stays flat whatever the row count).
/// </summary>
public sealed class ImportTally(string resource, ImportOptions options)
{
    private readonly List<ImportRejection> _rejections = [];
    private readonly List<ImportRowResult>? _results = options.Atomic ? null : [];
    private long _rows;
    private long _inserted;
    private long _updated;
    private long _unchanged;
    private long _skipped;
    private long _rejected;
    private readonly SortedDictionary<string, long> _skippedByReason = new(StringComparer.Ordinal);

    public long Rows => _rows;

    public long RejectedCount => _rejected;

    public void Inserted(long row, long? line, string id)
    {
        _rows++;
        _inserted++;
        Result(row, line, "inserted", id);
    }

    public void Updated(long row, long? line, string id)
    {
        _rows++;
        _updated++;
        Result(row, line, "updated", id);
    }

    public void Unchanged(long row, long? line, string? id)
    {
        _rows++;
        _unchanged++;
        Result(row, line, "unchanged", id);
    }

    public void Skipped(long row, long? line, string? id)
    {
        _rows++;
        _skipped++;
        Result(row, line, "skipped", id);
    }

    /// <summary>A row read but not stored because the store keeps no such row (e.g. a breakdown of a total): counted per reason, never a rejection.</summary>
    public void SkippedFor(long row, long? line, string reason)
    {
        _rows++;
        _skippedByReason[reason] = _skippedByReason.GetValueOrDefault(reason) + 1;
        Result(row, line, "skipped", null);
    }

    public void Rejected(long row, long? line, IReadOnlyList<ImportError> errors)
    {
        _rows++;
        _rejected++;
        if (_rejections.Count < ImportOptions.MaxListedRejections)
        {
            var listed = errors.Count > ImportOptions.MaxListedErrorsPerRow ? errors.Take(ImportOptions.MaxListedErrorsPerRow).ToList() : errors;
            _rejections.Add(new ImportRejection(row, line, listed, errors.Count - listed.Count));
        }
        Result(row, line, "rejected", null);
    }

    private void Result(long row, long? line, string outcome, string? id)
    {
        if (_results is not null && _results.Count < ImportOptions.MaxListedResults)
        {
            _results.Add(new ImportRowResult(row, line, outcome, id));
        }
    }

    /// <summary>An atomic import commits only when no row was rejected; a dry run never commits.</summary>
    public bool ShouldCommit => !options.DryRun && (!options.Atomic || _rejected == 0);

    public ImportReport Report(bool committed) => new()
    {
        Resource = resource,
        Mode = ImportHttp.ModeName(options.Mode),
        Atomic = options.Atomic,
        DryRun = options.DryRun,
        Committed = committed,
        Rows = _rows,
        Inserted = _inserted,
        Updated = _updated,
        Unchanged = _unchanged,
        Skipped = _skipped,
        Rejected = _rejected,
        RejectedRows = _rejections,
        RejectedNotListed = _rejected - _rejections.Count,
        Results = _results,
        ResultsNotListed = _results is null ? null : _rows - _results.Count,
        SkippedByReason = _skippedByReason,
    };
}

/// <summary>The body cannot be read as the declared format at all (not one bad row: the whole stream). Nothing is written.</summary>
public sealed class ImportBodyException(string message, string code = ImportHttp.InvalidBody) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Counts the bytes read through it, for progress and ETA.</summary>
public sealed class CountingStream(Stream inner) : Stream
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>An import option that cannot be used (e.g. an unknown sourceId); answered 400 naming the parameter.</summary>
public sealed class ImportParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

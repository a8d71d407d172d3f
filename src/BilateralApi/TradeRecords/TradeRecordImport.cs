using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Import;
using FluentValidation;
using FluentValidation.Results;
using nietras.SeparatedValues;

namespace BilateralApi.TradeRecords;

/// <summary>
/// Bulk import of trade records (CSV, NDJSON or a JSON array), used by POST /v1/trade-records/import
/// and by the `import trade-records` command. The body is read as a stream (the endpoint passes its spooled
/// copy, <see cref="ImportSpool"/>, so the write lock never waits on the network); each row is validated by
/// <see cref="TradeRecordWriteValidator"/> (the single-write rules, with the source ids read once up
/// front) and written by the store's writer (<see cref="ITradeImportStore"/>), all inside one write transaction: an atomic import
/// with a rejected row, a dry run, or a body that breaks off (client gone, malformed stream) leaves
/// the store as it was. Memory stays flat: only the first rejections and per-row results are kept.
/// See docs/decisions/0014-import.md.
/// </summary>
public sealed class TradeRecordImporter(
    ITradeImportStore store, CountryCatalog countries, CodeListCatalog codes, CommodityCatalog commodities, TimeProvider time)
{
    public const string Resource = "trade-records";

    /// <summary>How often (in rows) progress is reported.</summary>
    public const int ProgressEvery = 16_384;

    /// <summary>Bytes looked at to recognise the file (its start: a JSON shape or a CSV header).</summary>
    public const int PeekBytes = 64 * 1024;

    /// <summary>
    /// Imports a trade file. What it is (Comtrade+ CSV or API answer, legacy Comtrade CSV, BACI, this API's
    /// NDJSON or JSON array) is recognised from the file itself (<see cref="TradeFileFormats"/>);
    /// <paramref name="formatOverride"/> overrides that, and <paramref name="declared"/> (the Content-Type or
    /// file extension) only decides for an empty body. Text is UTF-8 or Windows-1252 (<see cref="TextEncodingStream"/>).
    /// </summary>
    /// <exception cref="ImportBodyException">The body cannot be read as the format at all; nothing was written.</exception>
    /// <exception cref="ImportParameterException">An option is unusable (unknown sourceId, CSV without any source).</exception>
    public async Task<ImportReport> ImportAsync(Stream body, ImportFormat declared, ImportOptions options,
        Action<ImportProgress>? progress, CancellationToken cancellationToken, TradeFileFormat? formatOverride = null)
    {
        long? bodyBytes = body.CanSeek ? body.Length - body.Position : null;
        var input = new CountingStream(body);
        var (text, head, headLength) = await ReplayStream.PeekAsync(new TextEncodingStream(input), PeekBytes, cancellationToken);
        var fileFormat = formatOverride ?? TradeFileFormats.DetectFamily(head.AsSpan(0, headLength), declared);
        var now = Clock.Now(time);
        // The store's write transaction: disposing it uncommitted rolls the whole import back.
        await using var writer = await store.BeginAsync(options.Mode, now, bodyBytes, cancellationToken);
        var lookup = await RecordLookup.PreloadAsync(writer.Scope, cancellationToken);
        if (options.SourceId is { } sourceId && !await lookup.ExistsAsync("source", sourceId, cancellationToken))
        {
            throw new ImportParameterException("sourceId", $"No source has the id '{sourceId}'. Create the source first (POST /v1/sources).");
        }
        var validator = new TradeRecordWriteValidator(countries, codes, commodities, lookup);
        var rules = new TradeRecordImportRules(countries, codes, commodities, lookup);
        var tally = new ImportTally(Resource, options);
        var read = new Reader(countries, rules, validator, now, options);
        var stored = new Store(writer, tally, rows => progress?.Invoke(new(rows, input.BytesRead)));

        // Reading, parsing and validating run on their own thread and hand the writer checked rows in
        // batches, so the two overlap (decision 0037): the writer's statement is most of an import, and
        // the reading is most of the rest. The bounded channel keeps memory flat; order is kept.
        await ImportPipeline.RunAsync<PreparedRow>(
            (rows, stop) => TradeFileFormats.IsCsv(fileFormat) ? ReadCsvAsync(text, formatOverride, read, rows, stop)
                : fileFormat == TradeFileFormat.ComtradeJson ? ReadComtradeJsonAsync(text, read, rows, stop)
                : ReadJsonAsync(text, fileFormat == TradeFileFormat.Ndjson ? ImportFormat.Ndjson : ImportFormat.JsonArray, read, rows, stop),
            async (batch, stop) =>
            {
                foreach (var row in batch)
                {
                    await stored.AddAsync(row, stop);
                }
            },
            cancellationToken);
        await stored.FlushAsync(cancellationToken);

        progress?.Invoke(new(tally.Rows, input.BytesRead));
        var commit = tally.ShouldCommit;
        var report = tally.Report(commit);
        if (commit)
        {
            report = report with { ChangeSeq = await writer.CommitAsync(report, options, FormatName(fileFormat), cancellationToken) };
        }
        return report;
    }

    private static string FormatName(TradeFileFormat format) => TradeFileFormats.Names.First(n => n.Value == format).Key;

    /// <summary>No trade row is near this many characters; a longer one is a broken file, not a row to buffer.</summary>
    public const int MaxCsvRowChars = ImportJson.MaxLineBytes;

    /// <summary>The next CSV row; a row the reader cannot buffer (Sep stops at 16 M characters) is a bad body naming where it starts.</summary>
    private static async ValueTask<bool> NextCsvRowAsync(SepReader reader, long line, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.MoveNextAsync(cancellationToken);
        }
        catch (NotSupportedException ex)
        {
            throw new ImportBodyException($"The CSV row starting at line {line} cannot be read: it is longer than {MaxCsvRowChars} characters or a quoted field in it is never closed ({ex.Message})");
        }
    }

    /// <summary>Refuses a row that is too long or whose quote never closes (Sep then reads to the end of the body as one row); returns the line after it.</summary>
    private static long CheckCsvRow(SepReader.Row row)
    {
        var span = row.Span;
        if (span.Length > MaxCsvRowChars)
        {
            throw new ImportBodyException($"The CSV row starting at line {row.LineNumberFrom} is longer than {MaxCsvRowChars} characters.");
        }
        // Every quote opens or closes a quoted stretch (a doubled quote inside one does both), so a row ending inside quotes has an odd number.
        if (span.Count('"') % 2 != 0)
        {
            throw new ImportBodyException($"The CSV row starting at line {row.LineNumberFrom} has a quoted field that is never closed.");
        }
        return row.LineNumberToExcl;
    }

    private static void RequireSource(TradeRecordCsvColumns columns, ImportOptions options)
    {
        if (!columns.HasSourceColumn && options.SourceId is null)
        {
            throw new ImportParameterException("sourceId", "CSV rows carry no source: give sourceId (the id of the dataset release the file comes from), or a sourceId column.");
        }
    }

    private async Task ReadCsvAsync(ReplayStream text, TradeFileFormat? formatOverride, Reader read, ImportPipeline.Batcher<PreparedRow> rows, CancellationToken cancellationToken)
    {
        SepReader reader;
        try
        {
            reader = await Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = true })
                .FromAsync(text, leaveOpen: true, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or NotSupportedException)
        {
            throw new ImportBodyException("The CSV header cannot be read: " + ex.Message);
        }
        using (reader)
        {
            if (reader.Header.IsEmpty)
            {
                throw new ImportBodyException("The body is empty: a CSV import starts with a header line naming its columns.");
            }
            var dialect = formatOverride ?? TradeFileFormats.DetectCsvDialect(reader.Header.ColNames);
            var columns = new TradeRecordCsvColumns(reader.Header.ColNames, countries, dialect);
            RequireSource(columns, read.Options);
            long rowNumber = 0;
            long nextLine = 2;
            while (await NextCsvRowAsync(reader, nextLine, cancellationToken))
            {
                rowNumber++;
                nextLine = CheckCsvRow(reader.Current);
                var row = reader.Current;
                await rows.AddAsync(read.Cells(new SepCells(row), rowNumber, row.LineNumberFrom, columns), cancellationToken);
            }
        }
    }

    private async Task ReadComtradeJsonAsync(ReplayStream text, Reader read, ImportPipeline.Batcher<PreparedRow> rows, CancellationToken cancellationToken)
    {
        var answer = new ComtradeJson(text);
        TradeRecordCsvColumns? columns = null;
        long rowNumber = 0;
        await foreach (var cells in answer.ReadAsync(cancellationToken))
        {
            if (columns is null)
            {
                columns = new TradeRecordCsvColumns(answer.Header, countries);
                RequireSource(columns, read.Options);
            }
            rowNumber++;
            await rows.AddAsync(read.Cells(new ArrayCells(cells), rowNumber, null, columns), cancellationToken);
        }
    }

    private static async Task ReadJsonAsync(ReplayStream text, ImportFormat format, Reader read, ImportPipeline.Batcher<PreparedRow> rows, CancellationToken cancellationToken)
    {
        await foreach (var row in ImportJson.ReadAsync<TradeRecordWrite>(text, format, cancellationToken))
        {
            await rows.AddAsync(read.Json(row), cancellationToken);
        }
    }

    /// <summary>A row read and checked, ready for the writer: a row to store, a rejection or a skip.</summary>
    private readonly record struct PreparedRow(long RowNumber, long? Line, TradeRecordRow? Row, List<ImportError>? Errors, string? SkipReason);

    /// <summary>The reading side of an import: cells or JSON into a checked row. Uses nothing the writer uses (the lookups answer from memory).</summary>
    private sealed class Reader(CountryCatalog countries, TradeRecordImportRules rules, TradeRecordWriteValidator validator, string now, ImportOptions options)
    {
        public ImportOptions Options => options;

        public PreparedRow Cells<TRow>(TRow row, long rowNumber, long? line, TradeRecordCsvColumns columns) where TRow : ITradeCells, allows ref struct
        {
            var write = columns.Read(row, options.SourceId, out var errors, out var skipReason);
            if (skipReason is not null)
            {
                return new(rowNumber, line, null, null, skipReason);
            }
            return errors is not null ? new(rowNumber, line, null, errors, null) : Check(rowNumber, line, write!, columns.ColumnOf);
        }

        public PreparedRow Json(JsonImportRow<TradeRecordWrite> row)
        {
            if (row.Error is { } error)
            {
                return new(row.Row, row.Line, null, [error], null);
            }
            var write = row.Value!;
            if (write.SourceId is null && options.SourceId is not null)
            {
                write = write with { SourceId = options.SourceId };
            }
            return Check(row.Row, row.Line, write, static _ => null);
        }

        private PreparedRow Check(long rowNumber, long? line, TradeRecordWrite write, Func<string, string?> columnOf)
        {
            // The plain-code rules accept what the validator accepts; anything they refuse is judged and
            // worded by the validator itself. The lookups behind the validator's async rules answer from
            // memory (RecordLookup.PreloadAsync), so it completes synchronously; waiting never blocks on I/O.
            if (!rules.Accepts(write))
            {
                var validation = validator.ValidateAsync(write);
                var result = validation.IsCompletedSuccessfully ? validation.Result : validation.GetAwaiter().GetResult();
                if (!result.IsValid)
                {
                    return new(rowNumber, line, null, Errors(result, columnOf), null);
                }
            }
            return new(rowNumber, line, TradeRecordRow.From(write, countries, now), null, null);
        }

        private static List<ImportError> Errors(ValidationResult result, Func<string, string?> columnOf) =>
            result.Errors.Select(e => new ImportError(e.PropertyName, columnOf(e.PropertyName), e.ErrorMessage)).ToList();
    }

    /// <summary>
    /// The writing side of an import: hands the rows to store to the store's writer (as many at once as it asks
    /// for) and counts every row, in file order, once its write is done; on the import's connection only.
    /// </summary>
    private sealed class Store(ITradeImportWriter writer, ImportTally tally, Action<long> progress)
    {
        private readonly List<PreparedRow> _pending = [];
        private readonly List<TradeRecordRow> _rows = [];

        public ValueTask AddAsync(PreparedRow prepared, CancellationToken cancellationToken)
        {
            _pending.Add(prepared);
            if (prepared.Row is { } row)
            {
                _rows.Add(row);
            }
            return _pending.Count >= writer.BatchRows ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            var written = _rows.Count == 0 ? [] : await writer.WriteAsync(_rows, cancellationToken);
            var next = 0;
            foreach (var prepared in _pending)
            {
                Count(prepared, prepared.Row is null ? default : written[next++]);
                if (tally.Rows % ProgressEvery == 0)
                {
                    progress(tally.Rows);
                }
            }
            _pending.Clear();
            _rows.Clear();
        }

        private void Count(PreparedRow prepared, TradeRowWritten written)
        {
            var (rowNumber, line) = (prepared.RowNumber, prepared.Line);
            if (prepared.SkipReason is { } reason)
            {
                tally.SkippedFor(rowNumber, line, reason);
                return;
            }
            if (prepared.Errors is { } errors)
            {
                tally.Rejected(rowNumber, line, errors);
                return;
            }
            var key = written.Id?.ToString(CultureInfo.InvariantCulture);
            switch (written.Outcome)
            {
                case ImportOutcome.Inserted:
                    tally.Inserted(rowNumber, line, key!);
                    break;
                case ImportOutcome.Updated:
                    tally.Updated(rowNumber, line, key!);
                    break;
                case ImportOutcome.Unchanged:
                    tally.Unchanged(rowNumber, line, key);
                    break;
                case ImportOutcome.Skipped:
                    tally.Skipped(rowNumber, line, key);
                    break;
                default:
                    tally.Rejected(rowNumber, line,
                        [new ImportError("$", null, $"A trade record with this natural key (reporter, partner, year, month, flow, hs, transportMode, classification, origin) already exists: id {key}. Use mode=upsert to replace it or mode=skip-existing to keep it.")]);
                    break;
            }
        }
    }
}

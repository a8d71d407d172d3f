using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Import;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;

namespace BilateralApi.TradeRecords;

/// <summary>
/// Bulk import of trade records (CSV, NDJSON or a JSON array), used by POST /v1/trade-records/import
/// and by the `import trade-records` command. The body is read as a stream (the endpoint passes its spooled
/// copy, <see cref="ImportSpool"/>, so the write lock never waits on the network); each row is validated by
/// <see cref="TradeRecordWriteValidator"/> (the single-write rules, with the source ids read once up
/// front) and written by one prepared statement, all inside one write transaction: an atomic import
/// with a rejected row, a dry run, or a body that breaks off (client gone, malformed stream) leaves
/// the store as it was. Memory stays flat: only the first rejections and per-row results are kept.
/// See docs/decisions/0014-import.md.
/// </summary>
public sealed class TradeRecordImporter(
    SqliteConnectionFactory connections, CountryCatalog countries, CodeListCatalog codes, CommodityCatalog commodities, ChangeLog changes, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<DatabaseOptions> database)
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
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var lookup = await RecordLookup.PreloadAsync(scope, cancellationToken);
        if (options.SourceId is { } sourceId && !await lookup.ExistsAsync("source", sourceId, cancellationToken))
        {
            throw new ImportParameterException("sourceId", $"No source has the id '{sourceId}'. Create the source first (POST /v1/sources).");
        }
        var validator = new TradeRecordWriteValidator(countries, codes, commodities, lookup);
        var rules = new TradeRecordImportRules(countries, codes, commodities, lookup);
        var tally = new ImportTally(Resource, options);
        var now = Clock.Now(time);
        using var writer = new TradeRecordImportWriter(scope, options.Mode, now);
        // The import is one change-log entry, and each version it stores names it (decisions 0029, 0037).
        using var written = new TradeImportRows(scope, changes.BeginImport(scope, Resource));
        var read = new Reader(countries, rules, validator, now, options);
        var store = new Store(writer, written, tally);
        await using var cache = await ImportCache.EnlargeAsync(scope, cancellationToken);
        var deferred = TradeIndexRebuild.DropIfLarge(scope, bodyBytes, database.Value.ImportRebuildIndexesFromBytes);

        // Reading, parsing and validating run on their own thread and hand the writer checked rows in
        // batches, so the two overlap (decision 0037): the writer's statement is most of an import, and
        // the reading is most of the rest. The bounded channel keeps memory flat; order is kept.
        await ImportPipeline.RunAsync<PreparedRow>(
            (rows, stop) => TradeFileFormats.IsCsv(fileFormat) ? ReadCsvAsync(text, formatOverride, read, rows, stop)
                : fileFormat == TradeFileFormat.ComtradeJson ? ReadComtradeJsonAsync(text, read, rows, stop)
                : ReadJsonAsync(text, fileFormat == TradeFileFormat.Ndjson ? ImportFormat.Ndjson : ImportFormat.JsonArray, read, rows, stop),
            row =>
            {
                store.Add(row);
                if (row.RowNumber % ProgressEvery == 0)
                {
                    progress?.Invoke(new(tally.Rows, input.BytesRead));
                }
            },
            cancellationToken);

        progress?.Invoke(new(tally.Rows, input.BytesRead));
        var commit = tally.ShouldCommit;
        var report = tally.Report(commit);
        if (commit)
        {
            deferred?.Rebuild();
            written.Complete(report, options, FormatName(fileFormat));
            await scope.CommitAsync(cancellationToken);
            report = report with { ChangeSeq = written.Seq };
        }
        // Without a commit, disposing the scope rolls the whole import back.
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

    /// <summary>The writing side of an import: store, attribute, count; on the import's connection only.</summary>
    private sealed class Store(TradeRecordImportWriter writer, TradeImportRows written, ImportTally tally)
    {
        public void Add(PreparedRow prepared)
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
            var (outcome, id, version) = writer.Write(prepared.Row!);
            var key = id?.ToString(CultureInfo.InvariantCulture);
            if (outcome is ImportOutcome.Inserted or ImportOutcome.Updated)
            {
                written.Add(id!.Value, version, outcome == ImportOutcome.Inserted);
            }
            switch (outcome)
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

internal enum ImportOutcome
{
    Inserted,
    Updated,
    Unchanged,
    Skipped,
    Clash,
}

/// <summary>
/// Writes validated rows with one prepared statement re-executed per row (parameters rebound, never
/// re-parsed), inside the import's transaction.
/// </summary>
internal sealed class TradeRecordImportWriter : IDisposable
{
    // Bound by position on the connection's raw handle (RawStatement): the statement runs once per row.
    private readonly RawStatement _write;
    private readonly int[] _writeKey;
    private readonly int[] _writeValues;
    private readonly RawStatement _find;
    private readonly int[] _findKey;
    private readonly ImportMode _mode;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private SqliteCommand? _idsSeenBefore;

    /// <summary>The natural key, bound the same way into the write and into the look-up of the row it clashed with.</summary>
    private static readonly string[] KeyParameters = ["@reporter", "@partner", "@year", "@month", "@flow", "@hs", "@transportMode", "@classification", "@origin"];

    private static readonly string[] ValueParameters = ["@valueUsdCents", "@netWeightKg", "@quantity", "@quantityUnit", "@valueBasis", "@estimated", "@sourceId"];

    public TradeRecordImportWriter(WriteScope scope, ImportMode mode, string now)
    {
        _mode = mode;
        _connection = scope.Connection;
        _write = new RawStatement(scope.Connection, mode == ImportMode.Upsert ? TradeRecordImportSql.Upsert : TradeRecordImportSql.InsertOrNothing);
        _writeKey = KeyParameters.Select(_write.Index).ToArray();
        _writeValues = ValueParameters.Select(_write.Index).ToArray();
        _write.Bind(_write.Index("@now"), now);

        _transaction = scope.Transaction;
        _idsSeenBefore = scope.Connection.CreateCommand();
        _idsSeenBefore.Transaction = scope.Transaction;
        _idsSeenBefore.CommandText = ChangeLog.LastVersion;
        _idsSeenBefore.Parameters.AddWithValue("@resource", TradeRecordImporter.Resource);
        _idsSeenBefore.Parameters.AddWithValue("@id", "");

        _find = new RawStatement(scope.Connection, TradeRecordImportSql.IdByNaturalKey);
        _findKey = KeyParameters.Select(_find.Index).ToArray();
    }

    /// <summary>Binds the row's natural key at the positions of <see cref="KeyParameters"/> in the statement.</summary>
    private static void BindKey(RawStatement statement, int[] at, TradeRecordRow row)
    {
        statement.Bind(at[0], row.Reporter);
        statement.Bind(at[1], row.Partner);
        statement.Bind(at[2], row.Year);
        statement.Bind(at[3], row.Month);
        statement.Bind(at[4], row.Flow);
        statement.Bind(at[5], row.Hs);
        statement.Bind(at[6], row.TransportMode);
        statement.Bind(at[7], row.Classification);
        statement.Bind(at[8], row.Origin);
    }

    /// <summary>Writes one row; for stored rows also returns the version they now have.</summary>
    public (ImportOutcome Outcome, long? Id, long Version) Write(TradeRecordRow row)
    {
        BindKey(_write, _writeKey, row);
        _write.Bind(_writeValues[0], row.ValueUsdCents);
        // REAL columns: bind doubles, as Dapper does for the single writes (validated to 15 significant digits).
        _write.Bind(_writeValues[1], row.NetWeightKg is { } weight ? (double)weight : null);
        _write.Bind(_writeValues[2], row.Quantity is { } quantity ? (double)quantity : null);
        _write.Bind(_writeValues[3], row.QuantityUnit);
        _write.Bind(_writeValues[4], row.ValueBasis);
        _write.Bind(_writeValues[5], row.Estimated);
        _write.Bind(_writeValues[6], row.SourceId);

        if (_mode == ImportMode.Upsert)
        {
            if (!_write.Step())
            {
                return (ImportOutcome.Unchanged, FindExisting(row), 0);
            }
            var (stored, version) = (_write.Int64(0), _write.Int64(1));
            _write.Reset();
            return version == 1 ? (ImportOutcome.Inserted, stored, FirstVersion(stored)) : (ImportOutcome.Updated, stored, version);
        }
        // No RETURNING for inserts: the row count says whether the row went in, and the new id is the
        // connection's last rowid (no result row to read per row).
        if (_write.Execute() == 1)
        {
            var id = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);
            return (ImportOutcome.Inserted, id, FirstVersion(id));
        }
        return (_mode == ImportMode.SkipExisting ? ImportOutcome.Skipped : ImportOutcome.Clash, FindExisting(row), 0);
    }

    /// <summary>
    /// The version of a row just inserted: 1, or one past the version of the deleted row that had its id
    /// before (the store takes the highest id again once that row is deleted; see ChangeLog.LastVersion).
    /// Ids are handed out in ascending order, so once a new id has no history, no later one has: the
    /// look-up stops there and the import pays it about once.
    /// </summary>
    private long FirstVersion(long id)
    {
        if (_idsSeenBefore is null)
        {
            return 1;
        }
        _idsSeenBefore.Parameters["@id"].Value = id.ToString(CultureInfo.InvariantCulture);
        if (_idsSeenBefore.ExecuteScalar() is not long last)
        {
            _idsSeenBefore.Dispose();
            _idsSeenBefore = null;
            return 1;
        }
        using var update = _connection.CreateCommand();
        update.Transaction = _transaction;
        update.CommandText = TradeRecordSql.SetVersion;
        update.Parameters.AddWithValue("@version", last + 1);
        update.Parameters.AddWithValue("@id", id);
        update.ExecuteNonQuery();
        return last + 1;
    }

    private long? FindExisting(TradeRecordRow row)
    {
        BindKey(_find, _findKey, row);
        if (!_find.Step())
        {
            return null;
        }
        var id = _find.Int64(0);
        _find.Reset();
        return id;
    }

    public void Dispose()
    {
        _write.Dispose();
        _find.Dispose();
        _idsSeenBefore?.Dispose();
    }
}

using System.Globalization;
using BilateralApi.Infrastructure.Import;
using BilateralApi.TradeRecords;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// SQLite's half of a trade import: a prepared statement re-executed per row (<see cref="TradeRecordImportWriter"/>)
/// in one BEGIN IMMEDIATE transaction, with the import's larger page cache (<see cref="ImportCache"/>) and, for a
/// large load into a small table, the secondary indexes built after the rows (<see cref="TradeIndexRebuild"/>,
/// decision 0031).
/// </summary>
public sealed class SqliteTradeImportStore(SqliteConnectionFactory connections, ChangeLog changes, IOptions<DatabaseOptions> database) : ITradeImportStore
{
    public async Task<ITradeImportWriter> BeginAsync(ImportMode mode, string now, long? bodyBytes, CancellationToken cancellationToken)
    {
        var scope = await connections.BeginWriteAsync(cancellationToken);
        try
        {
            var cache = await ImportCache.EnlargeAsync(scope, cancellationToken);
            try
            {
                var deferred = TradeIndexRebuild.DropIfLarge(scope, bodyBytes, database.Value.ImportRebuildIndexesFromBytes);
                return new SqliteTradeImportWriter(scope, cache, deferred, new TradeRecordImportWriter(scope, mode, now),
                    // The import is one change-log entry, and each version it stores names it (decisions 0029, 0037).
                    new TradeImportRows(scope, changes.BeginImport(scope, TradeRecordImporter.Resource)));
            }
            catch
            {
                await cache.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    private sealed class SqliteTradeImportWriter(WriteScope scope, ImportCache cache, TradeIndexRebuild? deferred, TradeRecordImportWriter writer, TradeImportRows written)
        : ITradeImportWriter
    {
        public IWriteScope Scope => scope;

        /// <summary>Row by row costs SQLite nothing more: its statements run in process.</summary>
        public int BatchRows => 1;

        public ValueTask<IReadOnlyList<TradeRowWritten>> WriteAsync(IReadOnlyList<TradeRecordRow> rows, CancellationToken cancellationToken)
        {
            var results = new TradeRowWritten[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                var (outcome, id, version) = writer.Write(rows[i]);
                if (outcome is ImportOutcome.Inserted or ImportOutcome.Updated)
                {
                    written.Add(id!.Value, version, outcome == ImportOutcome.Inserted);
                }
                results[i] = new(outcome, id);
            }
            return ValueTask.FromResult<IReadOnlyList<TradeRowWritten>>(results);
        }

        public async Task<long?> CommitAsync(ImportReport report, ImportOptions options, string format, CancellationToken cancellationToken)
        {
            deferred?.Rebuild();
            written.Complete(report, options, format);
            await scope.CommitAsync(cancellationToken);
            return written.Seq;
        }

        public async ValueTask DisposeAsync()
        {
            // The cache first: it ends an uncommitted transaction before giving the pages back (ImportCache.DisposeAsync).
            await cache.DisposeAsync();
            written.Dispose();
            writer.Dispose();
            await scope.DisposeAsync();
        }
    }
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
        _write = new RawStatement(scope.Connection, mode == ImportMode.Upsert ? SqliteTradeImportSql.Upsert : SqliteTradeImportSql.InsertOrNothing);
        _writeKey = KeyParameters.Select(_write.Index).ToArray();
        _writeValues = ValueParameters.Select(_write.Index).ToArray();
        _write.Bind(_write.Index("@now"), now);

        _transaction = scope.Transaction;
        _idsSeenBefore = scope.Connection.CreateCommand();
        _idsSeenBefore.Transaction = scope.Transaction;
        _idsSeenBefore.CommandText = ChangeLog.LastVersion;
        _idsSeenBefore.Parameters.AddWithValue("@resource", TradeRecordImporter.Resource);
        _idsSeenBefore.Parameters.AddWithValue("@id", "");

        _find = new RawStatement(scope.Connection, SqliteTradeImportSql.IdByNaturalKey);
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

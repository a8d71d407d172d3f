using System.Globalization;
using BilateralApi.Infrastructure.Import;
using BilateralApi.TradeRecords;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>
/// PostgreSQL's half of a trade import (decision 0046): rows go over in batches by binary COPY into a temporary
/// staging table, and one statement per batch finds each row's stored twin through the natural-key index, inserts
/// the new rows under the next ids in file order (as SQLite hands out rowids), and (upsert) rewrites the stored
/// rows that differ. Everything is inside one write transaction holding the database's write lock
/// (<see cref="PostgresConnections.BeginWriteAsync"/>): a rolled-back import leaves nothing, the staging table
/// included (it is dropped at commit and rolled back with the rest).
/// </summary>
public sealed class PostgresTradeImportStore(PostgresConnections connections, ChangeLog changes) : ITradeImportStore
{
    /// <summary>
    /// Rows per COPY and statement: each batch costs a few round trips and a statement plan, so larger batches
    /// spread that thinner; the staging table and the pending rows stay a few megabytes.
    /// </summary>
    public const int BatchRows = 8192;

    /// <summary>The staged columns, in COPY order: a row's place in its batch, then what the import stores.</summary>
    private const string StagingColumns = """
        ord integer NOT NULL, reporter text COLLATE "C" NOT NULL, partner text COLLATE "C" NOT NULL, year bigint NOT NULL, month bigint NULL,
        flow text COLLATE "C" NOT NULL, hs text COLLATE "C" NOT NULL, transport_mode bigint NOT NULL, value_usd_cents bigint NULL,
        net_weight_kg double precision NULL, quantity double precision NULL, quantity_unit text COLLATE "C" NULL,
        value_basis text COLLATE "C" NOT NULL, estimated bigint NOT NULL, source_id text COLLATE "C" NOT NULL,
        classification text COLLATE "C" NOT NULL, origin text COLLATE "C" NOT NULL
        """;

    private const string Copy = """
        COPY trade_import_staging (ord, reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg,
            quantity, quantity_unit, value_basis, estimated, source_id, classification, origin) FROM STDIN (FORMAT BINARY)
        """;

    public async Task<ITradeImportWriter> BeginAsync(ImportMode mode, string now, long? bodyBytes, CancellationToken cancellationToken)
    {
        var scope = await connections.BeginWriteAsync(cancellationToken);
        try
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                $"CREATE TEMPORARY TABLE trade_import_staging ({StagingColumns}) ON COMMIT DROP", transaction: scope.Transaction, cancellationToken: cancellationToken));
            var sequence = await scope.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT pg_get_serial_sequence('trade_record', 'id')", transaction: scope.Transaction, cancellationToken: cancellationToken));
            return new Writer(scope, mode, now, sequence!, changes.BeginImport(scope, TradeRecordImporter.Resource));
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One batch in one statement. <c>matched</c>: each staged row's stored twin by the natural key (LIMIT 1 keeps the
    /// look-up a nested probe of ux_trade_record_key per row, whatever the planner thinks of the tables' sizes);
    /// <c>fresh</c>: ids for the rows without one, in file order after the table's largest id, as SQLite's rowids are
    /// handed out (so the same file gets the same ids on both stores, a rolled-back import spends none, and an import's
    /// new rows are one run of ids); then the insert, and for upsert the
    /// rewrite of the rows that differ, through ON CONFLICT on the natural key with the stored id (an index probe,
    /// and no sequence value spent). The answer: per staged row, in order, the id and what happened.
    /// </summary>
    private static string Statement(ImportMode mode) => $"""
        WITH matched AS MATERIALIZED (
            SELECT s.ord, t.id, t.version,
                t.value_usd_cents IS DISTINCT FROM s.value_usd_cents OR t.net_weight_kg IS DISTINCT FROM s.net_weight_kg
                OR t.quantity IS DISTINCT FROM s.quantity OR t.quantity_unit IS DISTINCT FROM s.quantity_unit
                OR t.value_basis IS DISTINCT FROM s.value_basis OR t.estimated IS DISTINCT FROM s.estimated
                OR t.source_id IS DISTINCT FROM s.source_id AS differs
            FROM trade_import_staging s
            LEFT JOIN LATERAL (
                SELECT id, version, value_usd_cents, net_weight_kg, quantity, quantity_unit, value_basis, estimated, source_id
                FROM trade_record t
                WHERE t.reporter = s.reporter AND t.partner = s.partner AND t.year = s.year AND COALESCE(t.month, 0) = COALESCE(s.month, 0)
                  AND t.flow = s.flow AND t.hs = s.hs AND t.transport_mode = s.transport_mode
                  AND t.classification = s.classification AND t.origin = s.origin
                LIMIT 1) t ON true
        ),
        fresh AS MATERIALIZED (
            SELECT ord, (SELECT COALESCE(MAX(id), 0) FROM trade_record) + row_number() OVER (ORDER BY ord) AS id FROM matched WHERE id IS NULL
        ),
        inserted AS (
            {InsertStaged("fresh", "f")}
            ORDER BY f.id
        ){(mode != ImportMode.Upsert ? "" : $"""
        ,
        updated AS (
            {InsertStaged("matched", "m")}
            WHERE m.id IS NOT NULL AND m.differs
            ON CONFLICT (reporter, partner, year, COALESCE(month, 0), flow, hs, transport_mode, classification, origin) DO UPDATE SET
                month = excluded.month, value_usd_cents = excluded.value_usd_cents, net_weight_kg = excluded.net_weight_kg,
                quantity = excluded.quantity, quantity_unit = excluded.quantity_unit, value_basis = excluded.value_basis,
                estimated = excluded.estimated, source_id = excluded.source_id, updated_at = excluded.updated_at,
                version = trade_record.version + 1
        )
        """)}
        SELECT m.ord, COALESCE(m.id, f.id) AS id, m.id IS NULL AS created, m.id IS NOT NULL AND m.differs AS differs, m.version
        FROM matched m LEFT JOIN fresh f ON f.ord = m.ord
        ORDER BY m.ord
        """;

    /// <summary>The staged rows of <paramref name="cte"/> (its <c>ord</c>: the row's place in the batch) inserted as trade records under its <c>id</c>.</summary>
    private static string InsertStaged(string cte, string alias) => $"""
        INSERT INTO trade_record (id, reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg,
                quantity, quantity_unit, value_basis, estimated, source_id, created_at, updated_at, version, classification, origin)
            SELECT {alias}.id, s.reporter, s.partner, s.year, s.month, s.flow, s.hs, s.transport_mode, s.value_usd_cents, s.net_weight_kg,
                s.quantity, s.quantity_unit, s.value_basis, s.estimated, s.source_id, @now, @now, 1, s.classification, s.origin
            FROM {cte} {alias} JOIN trade_import_staging s ON s.ord = {alias}.ord
        """;

    /// <summary>A row's natural key, as the unique index compares it (an annual row's month as 0).</summary>
    private readonly record struct NaturalKey(string Reporter, string Partner, long Year, long Month, string Flow, string Hs, long TransportMode, string Classification, string Origin)
    {
        public static NaturalKey Of(TradeRecordRow row) =>
            new(row.Reporter, row.Partner, row.Year, row.Month ?? 0, row.Flow, row.Hs, row.TransportMode, row.Classification, row.Origin);
    }

    private sealed class Writer(PostgresWriteScope scope, ImportMode mode, string now, string sequence, ChangeLog.BulkImport entry) : ITradeImportWriter
    {
        private readonly string _statement = Statement(mode);
        private readonly HashSet<NaturalKey> _batchKeys = [];
        private readonly TradeImportRanges _ranges = new();
        private readonly List<(long Id, long Version, bool Created)> _versions = [];

        /// <summary>Whether a new id may have been used before (see <see cref="FirstVersionAsync"/>).</summary>
        private bool _mayReuse = true;

        public IWriteScope Scope => scope;

        int ITradeImportWriter.BatchRows => BatchRows;

        public async ValueTask<IReadOnlyList<TradeRowWritten>> WriteAsync(IReadOnlyList<TradeRecordRow> rows, CancellationToken cancellationToken)
        {
            var results = new TradeRowWritten[rows.Count];
            // A key listed twice meets its first row as a stored one: the batch ends before the second.
            var start = 0;
            _batchKeys.Clear();
            for (var i = 0; i < rows.Count; i++)
            {
                if (!_batchKeys.Add(NaturalKey.Of(rows[i])))
                {
                    await WriteBatchAsync(rows, start, i, results, cancellationToken);
                    start = i;
                    _batchKeys.Clear();
                    _batchKeys.Add(NaturalKey.Of(rows[i]));
                }
            }
            await WriteBatchAsync(rows, start, rows.Count, results, cancellationToken);
            return results;
        }

        private async Task WriteBatchAsync(IReadOnlyList<TradeRecordRow> rows, int from, int to, TradeRowWritten[] results, CancellationToken cancellationToken)
        {
            if (from == to)
            {
                return;
            }
            await using (var truncate = new NpgsqlCommand("TRUNCATE trade_import_staging", scope.Connection, scope.Transaction))
            {
                await truncate.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var copy = await scope.Connection.BeginBinaryImportAsync(Copy, cancellationToken))
            {
                for (var i = from; i < to; i++)
                {
                    await StageAsync(copy, i - from, rows[i], cancellationToken);
                }
                await copy.CompleteAsync(cancellationToken);
            }

            _versions.Clear();
            await using (var command = new NpgsqlCommand(_statement, scope.Connection, scope.Transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string>("now", now));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var at = from + reader.GetInt32(0);
                    var id = reader.GetInt64(1);
                    if (reader.GetBoolean(2))
                    {
                        results[at] = new(ImportOutcome.Inserted, id);
                        _versions.Add((id, 1, true));
                    }
                    else if (mode != ImportMode.Upsert)
                    {
                        results[at] = new(mode == ImportMode.SkipExisting ? ImportOutcome.Skipped : ImportOutcome.Clash, id);
                    }
                    else if (reader.GetBoolean(3))
                    {
                        results[at] = new(ImportOutcome.Updated, id);
                        _versions.Add((id, reader.GetInt64(4) + 1, false));
                    }
                    else
                    {
                        results[at] = new(ImportOutcome.Unchanged, id);
                    }
                }
            }
            await AttributeAsync(cancellationToken);
        }

        private static async Task StageAsync(NpgsqlBinaryImporter copy, int ord, TradeRecordRow row, CancellationToken cancellationToken)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(ord, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(row.Reporter, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Partner, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Year, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(copy, row.Month, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.Flow, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Hs, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.TransportMode, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(copy, row.ValueUsdCents, NpgsqlDbType.Bigint, cancellationToken);
            // Doubles, as SQLite's writer binds them (validated to 15 significant digits).
            await WriteAsync(copy, (double?)row.NetWeightKg, NpgsqlDbType.Double, cancellationToken);
            await WriteAsync(copy, (double?)row.Quantity, NpgsqlDbType.Double, cancellationToken);
            await WriteAsync(copy, row.QuantityUnit, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.ValueBasis, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Estimated, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(row.SourceId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Classification, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Origin, NpgsqlDbType.Text, cancellationToken);
        }

        private static Task WriteAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : struct =>
            value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

        private static Task WriteAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
            value is not null ? copy.WriteAsync(value, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

        /// <summary>
        /// Records the batch's written versions as SQLite's writer does (decision 0037): created rows at version 1 as
        /// id ranges (written at commit), every other version as a trade_record_import row (by COPY: an upsert may
        /// change millions); and appends the import's change-log entry with the first stored row.
        /// </summary>
        private async Task AttributeAsync(CancellationToken cancellationToken)
        {
            if (_versions.Count == 0)
            {
                return;
            }
            var seq = entry.Append();
            var others = new List<(long Id, long Version, bool Created)>();
            foreach (var (id, version, created) in _versions)
            {
                var stored = created ? await FirstVersionAsync(id, cancellationToken) : version;
                if (_ranges.Add(id, stored, created))
                {
                    others.Add((id, stored, created));
                }
            }
            if (others.Count == 0)
            {
                return;
            }
            await using var copy = await scope.Connection.BeginBinaryImportAsync(
                "COPY trade_record_import (import_seq, record_id, version, created) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (id, version, created) in others)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(seq, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(created ? 1L : 0L, NpgsqlDbType.Bigint, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        /// <summary>
        /// The version of a row just inserted: 1, or one past the version of the deleted row that had its id before
        /// (ids continue after the table's largest, which a deletion of the last rows lowers; the change log keeps
        /// the tombstone, decision 0024). Ids ascend, so once a new id has no history no later one has and the
        /// look-up stops: an import pays it about once, as on SQLite.
        /// </summary>
        private async Task<long> FirstVersionAsync(long id, CancellationToken cancellationToken)
        {
            if (!_mayReuse)
            {
                return 1;
            }
            var last = await scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(ChangeLog.LastVersion,
                new { resource = TradeRecordImporter.Resource, id = id.ToString(CultureInfo.InvariantCulture) }, scope.Transaction, cancellationToken: cancellationToken));
            if (last is not { } previous)
            {
                _mayReuse = false;
                return 1;
            }
            await scope.Connection.ExecuteAsync(new CommandDefinition(TradeRecordSql.SetVersion, new { version = previous + 1, id }, scope.Transaction, cancellationToken: cancellationToken));
            return previous + 1;
        }

        public async Task<long?> CommitAsync(ImportReport report, ImportOptions options, string format, CancellationToken cancellationToken)
        {
            if (entry.Seq is not null)
            {
                // The identity sequence (single creates) must not hand out an id the import took; it only ever moves forward.
                await scope.Connection.ExecuteAsync(new CommandDefinition(
                    "SELECT setval(@sequence::regclass, m) FROM (SELECT MAX(id) AS m FROM trade_record) x WHERE m > COALESCE(pg_sequence_last_value(@sequence::regclass), 0)",
                    new { sequence }, scope.Transaction, cancellationToken: cancellationToken));
            }
            if (entry.Seq is { } seq && _ranges.CreatedFirstVersions.Count > 0)
            {
                await scope.Connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO trade_import_range (import_seq, first_id, last_id) VALUES (@seq, @first, @last)",
                    _ranges.CreatedFirstVersions.Select(r => new { seq, first = r[0], last = r[1] }), scope.Transaction, cancellationToken: cancellationToken));
            }
            entry.Complete(_ranges.Change(report, options, format), TradeImportRanges.Type);
            await scope.CommitAsync(cancellationToken);
            return entry.Seq;
        }

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}

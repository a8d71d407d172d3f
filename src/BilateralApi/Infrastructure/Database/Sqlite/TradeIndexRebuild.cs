using BilateralApi.Infrastructure.Database;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// A large load into a small trade table writes its rows without the secondary indexes and builds them
/// again at the end (decision 0031): CREATE INDEX sorts all rows once, where per-row upkeep inserts each
/// row into every index in random order, which at millions of rows is most of an import's time. The
/// unique natural-key index stays (the import's ON CONFLICT and key look-ups need it; a file in key
/// order appends to it). Dropping and creating are part of the import's transaction: a rollback (an
/// atomic import with a rejected row, a dry run, a crash) leaves the indexes as they were, and readers
/// keep their snapshot, indexes included, until the commit.
/// </summary>
internal sealed class TradeIndexRebuild
{
    /// <summary>The shortest trade rows (CEPII BACI) take about this many bytes of a file, so bytes / this bounds the file's rows from above.</summary>
    public const int BytesPerRow = 32;

    /// <summary>
    /// The page cache while the indexes are built, in KiB. CREATE INDEX sorts in runs as large as the page
    /// cache before merging them; runs that fit the processor's caches sort several times faster than the
    /// import's large cache (ImportCache) allows, and merging them is sequential (decision 0037).
    /// </summary>
    public const int SortCacheKiB = 2000;

    private readonly WriteScope _scope;
    private readonly List<string> _definitions;

    private TradeIndexRebuild(WriteScope scope, List<string> definitions) => (_scope, _definitions) = (scope, definitions);

    /// <summary>
    /// Drops the secondary indexes when the body has at least <paramref name="fromBytes"/> bytes and may hold
    /// as many rows as the table already has (rebuilding costs the whole table; upkeep costs the new rows).
    /// </summary>
    public static TradeIndexRebuild? DropIfLarge(WriteScope scope, long? bodyBytes, long fromBytes)
    {
        if (bodyBytes is not { } bytes || bytes < fromBytes)
        {
            return null;
        }
        using var command = scope.Connection.CreateCommand();
        command.Transaction = scope.Transaction;
        // MAX(id) is one seek and bounds the row count from above.
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM trade_record";
        if ((long)command.ExecuteScalar()! > bytes / BytesPerRow)
        {
            return null;
        }
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trade_record' AND name LIKE 'ix\\_%' ESCAPE '\\' AND sql IS NOT NULL ORDER BY name";
        var indexes = new List<(string Name, string Sql)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            command.CommandText = $"DROP INDEX \"{name}\"";
            command.ExecuteNonQuery();
        }
        return new TradeIndexRebuild(scope, indexes.Select(i => i.Sql).ToList());
    }

    /// <summary>Creates the dropped indexes again, as they were defined.</summary>
    public void Rebuild()
    {
        using var command = _scope.Connection.CreateCommand();
        command.Transaction = _scope.Transaction;
        command.CommandText = $"PRAGMA cache_size = -{SortCacheKiB}";
        command.ExecuteNonQuery();
        foreach (var sql in _definitions)
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}

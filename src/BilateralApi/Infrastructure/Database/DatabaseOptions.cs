namespace BilateralApi.Infrastructure.Database;

/// <summary>Where the database is (a SQLite file or a PostgreSQL server) and whether a new database gets the seed dataset.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// The database (<c>--db</c>, <c>BILATERAL_DB</c>): a SQLite file's path (relative paths are resolved against the
    /// working directory), or a PostgreSQL URL or connection string (<see cref="StoreLocation"/>).
    /// </summary>
    public string Path { get; set; } = "bilateral.db";

    /// <summary>
    /// A PostgreSQL read replica (<c>--read-db</c>, <c>BILATERAL_READ_DB</c>) that lists, analytics and exports read
    /// from; null: everything reads the primary.
    /// </summary>
    public string? ReadReplica { get; set; }

    /// <summary>Which store <see cref="Path"/> names; a malformed location throws <see cref="InvalidStoreLocationException"/> saying why.</summary>
    public StoreLocation Location => StoreLocation.Parse(Path);

    public StoreLocation? ReadReplicaLocation => string.IsNullOrWhiteSpace(ReadReplica) ? null : StoreLocation.Parse(ReadReplica);

    /// <summary>Load the curated seed dataset into a newly created database.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>
    /// A bulk import of at least this many bytes into a trade table that is small beside it drops the trade
    /// table's secondary indexes and builds them again before it commits (decision 0031).
    /// </summary>
    public long ImportRebuildIndexesFromBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>The SQLite file's full path.</summary>
    public string FullPath => System.IO.Path.GetFullPath(Path);
}

namespace BilateralApi.Infrastructure.Database;

/// <summary>Where the SQLite file lives and whether a new database gets the seed dataset.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Path of the SQLite file; relative paths are resolved against the working directory.</summary>
    public string Path { get; set; } = "bilateral.db";

    /// <summary>Load the curated seed dataset into a newly created database.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>
    /// A bulk import of at least this many bytes into a trade table that is small beside it drops the trade
    /// table's secondary indexes and builds them again before it commits (decision 0031).
    /// </summary>
    public long ImportRebuildIndexesFromBytes { get; set; } = 16L * 1024 * 1024;

    public string FullPath => System.IO.Path.GetFullPath(Path);
}

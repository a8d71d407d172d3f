using Microsoft.Data.Sqlite;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// The few SQLite-specific pieces in one place (connection settings, pragmas, error codes), so that a
/// second store (PostgreSQL) replaces this file rather than edits scattered through the slices.
/// </summary>
public static class SqliteDialect
{
    /// <summary>
    /// How long one attempt waits for the write lock (busy_timeout). Microsoft.Data.Sqlite retries a busy
    /// statement until its command timeout (<see cref="ConnectionString"/>: 30 s), so a writer waits up to
    /// 30 s in all before SQLITE_BUSY reaches the caller (docs/security.md). A 5 s total was tried: four
    /// writers in a tight loop on a loaded machine starved one past it (SQLite's lock is not fair).
    /// </summary>
    public const int BusyTimeoutMilliseconds = 5000;

    /// <summary>
    /// The connection string of requests and imports. It names no "Foreign Keys": Microsoft.Data.Sqlite runs
    /// that PRAGMA on every open, pooled or not (a second statement per request); the setting lives as long
    /// as the physical connection, so <see cref="ConnectionPragmas"/> sets it once per connection instead.
    /// </summary>
    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// The migrations' connection string: DbUp opens its own connections (not through the pragmas), so the
    /// foreign keys are switched on by the connection string itself.
    /// </summary>
    public static string MigrationConnectionString(string path) =>
        new SqliteConnectionStringBuilder(ConnectionString(path)) { ForeignKeys = true }.ToString();

    /// <summary>
    /// Run once per physical connection. WAL lets readers proceed while one writer writes;
    /// synchronous=NORMAL in WAL mode is durable against a crash of this process (a committed
    /// transaction survives) and may lose only the last transactions on power loss or an OS crash:
    /// see docs/decisions/0002-sqlite-durability.md.
    /// </summary>
    public const string ConnectionPragmas =
        "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

    /// <summary>Database-level settings, persistent in the file.</summary>
    public const string DatabasePragmas = "PRAGMA journal_mode = WAL;";

    public static bool IsUniqueViolation(SqliteException ex) =>
        ex.SqliteErrorCode == 19 && (ex.SqliteExtendedErrorCode == 2067 || ex.SqliteExtendedErrorCode == 1555);

    public static bool IsForeignKeyViolation(SqliteException ex) =>
        ex.SqliteErrorCode == 19 && ex.SqliteExtendedErrorCode == 787;

    public static bool IsBusy(SqliteException ex) => ex.SqliteErrorCode is 5 or 6;
}

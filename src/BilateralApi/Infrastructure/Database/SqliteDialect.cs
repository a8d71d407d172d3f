using Microsoft.Data.Sqlite;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// The few SQLite-specific pieces in one place (connection settings, pragmas, error codes), so that a
/// second store (PostgreSQL) replaces this file rather than edits scattered through the slices.
/// </summary>
public static class SqliteDialect
{
    /// <summary>
    /// How long a writer waits for the write lock before SQLITE_BUSY reaches the caller (the API's 503).
    /// Two settings make it: SQLite's busy_timeout (<see cref="ConnectionPragmas"/>) and Microsoft.Data.Sqlite's
    /// command timeout, which retries a busy statement until it runs out (<see cref="ConnectionString"/>).
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
        // The driver's retry of a busy statement ends here, so a writer waits BusyTimeoutMilliseconds in all
        // (it was 30 s, six times what docs/security.md promises). SQLite has no other use for it: a long
        // read is bounded by the query budget (QuerySpend), not by this.
        DefaultTimeout = BusyTimeoutMilliseconds / 1000,
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
    public static readonly string ConnectionPragmas =
        $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

    /// <summary>Database-level settings, persistent in the file.</summary>
    public const string DatabasePragmas = "PRAGMA journal_mode = WAL;";

    public static bool IsUniqueViolation(SqliteException ex) =>
        ex.SqliteErrorCode == 19 && (ex.SqliteExtendedErrorCode == 2067 || ex.SqliteExtendedErrorCode == 1555);

    public static bool IsForeignKeyViolation(SqliteException ex) =>
        ex.SqliteErrorCode == 19 && ex.SqliteExtendedErrorCode == 787;

    public static bool IsBusy(SqliteException ex) => ex.SqliteErrorCode is 5 or 6;
}

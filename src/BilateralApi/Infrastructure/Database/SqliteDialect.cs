using Microsoft.Data.Sqlite;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// The few SQLite-specific pieces in one place (connection settings, pragmas, error codes), so that a
/// second store (PostgreSQL) replaces this file rather than edits scattered through the slices.
/// </summary>
public static class SqliteDialect
{
    /// <summary>How long a writer waits for the write lock before SQLITE_BUSY reaches the caller.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        ForeignKeys = true,
        DefaultTimeout = 30,
    }.ToString();

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

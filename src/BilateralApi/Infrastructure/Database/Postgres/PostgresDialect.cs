using Npgsql;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>PostgreSQL's error codes (SQLSTATE) that mean the same to a client as <see cref="SqliteDialect"/>'s.</summary>
public static class PostgresDialect
{
    public static bool IsUniqueViolation(PostgresException ex) => ex.SqlState == PostgresErrorCodes.UniqueViolation;

    public static bool IsForeignKeyViolation(PostgresException ex) => ex.SqlState == PostgresErrorCodes.ForeignKeyViolation;

    /// <summary>
    /// A writer that waited past lock_timeout for the write lock (55P03, as SQLITE_BUSY after the busy timeout), or a
    /// statement stopped by statement_timeout (57014). A statement cancelled because the client went away reaches the
    /// code as Npgsql's OperationCanceledException instead, not as this exception.
    /// </summary>
    public static bool IsBusy(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled;
}

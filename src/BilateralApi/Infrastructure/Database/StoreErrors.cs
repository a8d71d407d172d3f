using BilateralApi.Infrastructure.Database.Postgres;
using BilateralApi.Infrastructure.Database.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BilateralApi.Infrastructure.Database;

/// <summary>What a store's error means to a client, whichever store raised it.</summary>
public enum StoreError
{
    /// <summary>The same id or natural key is stored already.</summary>
    UniqueViolation,

    /// <summary>The change would break a reference between records.</summary>
    ForeignKeyViolation,

    /// <summary>The store could not serve the statement in time (its write lock, or a statement time-out); retrying later may work.</summary>
    Busy,
}

/// <summary>
/// The one place that reads the stores' own errors, so the exception handler maps each kind once and no handler
/// asks which store it runs on.
/// </summary>
public static class StoreErrors
{
    public static StoreError? Classify(Exception exception) => exception switch
    {
        SqliteException sqlite when SqliteDialect.IsUniqueViolation(sqlite) => StoreError.UniqueViolation,
        SqliteException sqlite when SqliteDialect.IsForeignKeyViolation(sqlite) => StoreError.ForeignKeyViolation,
        SqliteException sqlite when SqliteDialect.IsBusy(sqlite) => StoreError.Busy,
        PostgresException postgres when PostgresDialect.IsUniqueViolation(postgres) => StoreError.UniqueViolation,
        PostgresException postgres when PostgresDialect.IsForeignKeyViolation(postgres) => StoreError.ForeignKeyViolation,
        PostgresException postgres when PostgresDialect.IsBusy(postgres) => StoreError.Busy,
        _ => null,
    };
}

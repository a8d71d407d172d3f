using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// One statement prepared on a connection's own handle and bound by position, for the bulk import's
/// per-row statements: Microsoft.Data.Sqlite binds every parameter by name on every execution (a name
/// look-up and a UTF-8 conversion each), which at millions of rows cost as much as SQLite's own insert.
/// It runs inside whatever transaction the connection has open (the import's).
/// </summary>
public sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>The string bound at each position, while it is still bound: rebinding the same instance is skipped.</summary>
    private readonly string?[] _text;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _statement), _db);
        _text = new string?[raw.sqlite3_bind_parameter_count(_statement) + 1];
    }

    /// <summary>The position of a named parameter (@name), looked up once.</summary>
    public int Index(string name) =>
        raw.sqlite3_bind_parameter_index(_statement, name) is var index and > 0 ? index : throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));

    /// <summary>
    /// Binds text. Bindings outlive a reset and SQLite keeps its own copy, so the same string instance as the
    /// one already bound (an import's repeated countries, flows and sources are pooled strings) is not
    /// converted to UTF-8 and bound again.
    /// </summary>
    public void Bind(int index, string? value)
    {
        if (value is not null && ReferenceEquals(_text[index], value))
        {
            return;
        }
        _text[index] = value;
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
    }

    public void Bind(int index, long? value)
    {
        _text[index] = null;
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
    }

    public void Bind(int index, double? value)
    {
        _text[index] = null;
        Check(value is { } v ? raw.sqlite3_bind_double(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
    }

    /// <summary>Runs the statement to its end; returns the rows it changed.</summary>
    public int Execute()
    {
        while (Step())
        {
        }
        return raw.sqlite3_changes(_db);
    }

    /// <summary>
    /// One step: true when the statement returned a row (read it with <see cref="Int64"/>, then <see cref="Reset"/>);
    /// false when it is done, and then it is reset, ready to be bound and run again. A statement with
    /// RETURNING has made all its changes by its first step.
    /// </summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        try
        {
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            return false;
        }
        finally
        {
            Reset();
        }
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>Makes the statement ready to run again (its bindings stay).</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);

    public void Dispose() => _statement.Dispose();
}

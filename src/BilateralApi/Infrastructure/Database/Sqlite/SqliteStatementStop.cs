using System.Data.Common;
using BilateralApi.Querying;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// Stops a SQLite statement through its progress handler (SqliteCommand.Cancel() does nothing): every
/// <see cref="CheckEvery"/> virtual-machine steps SQLite asks whether to go on, and the answer is no once
/// the statement's allowance is spent on the budget's clock or the client has gone away. SQLite then fails
/// the statement with SQLITE_INTERRUPT. The check runs on the query's own thread (no timer racing the next
/// statement on a pooled connection), and reads the injectable clock, so tests can trip it deterministically.
/// </summary>
public sealed class SqliteStatementStop : IStatementStop
{
    /// <summary>Virtual-machine steps between checks: about a microsecond or two of work.</summary>
    public const int CheckEvery = 1000;

    private const int SqliteInterrupt = 9;

    public static readonly SqliteStatementStop Instance = new();

    public async Task<(StatementStop Stop, T? Value)> RunAsync<T>(DbConnection connection, Func<Task<T>> query, TimeSpan allowed, TimeSpan? lane, TimeProvider clock, CancellationToken cancellationToken)
    {
        var handle = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The connection is not open.");
        var stop = StatementStop.None;
        var started = clock.GetTimestamp();
        raw.sqlite3_progress_handler(handle, CheckEvery, _ =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return 1;
            }
            var elapsed = clock.GetElapsedTime(started);
            stop = elapsed > allowed ? StatementStop.Spent : lane is { } l && elapsed > l ? StatementStop.Lane : StatementStop.None;
            return stop == StatementStop.None ? 0 : 1;
        }, null);
        try
        {
            return (StatementStop.None, await query());
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteInterrupt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return (stop == StatementStop.Lane ? StatementStop.Lane : StatementStop.Spent, default);
        }
        finally
        {
            // The connection goes back to the pool: the next user must not inherit this budget.
            raw.sqlite3_progress_handler(handle, 0, null, null);
        }
    }
}

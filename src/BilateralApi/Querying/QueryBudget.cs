using Microsoft.Data.Sqlite;

namespace BilateralApi.Querying;

/// <summary>A list query ran past its time budget and was interrupted.</summary>
public sealed class QueryTimeoutException() : Exception("The query took longer than its time budget.");

/// <summary>
/// Stops a statement that runs too long. SqliteCommand.Cancel() does nothing, so the budget calls
/// sqlite3_interrupt on the connection's handle; SQLite then fails the running statement with
/// SQLITE_INTERRUPT, which <see cref="Run{T}"/> turns into <see cref="QueryTimeoutException"/>.
/// A client that goes away interrupts its query the same way.
/// </summary>
public static class QueryBudget
{
    private const int SqliteInterrupt = 9;

    public static TimeSpan Default(IConfiguration configuration) =>
        TimeSpan.FromMilliseconds(configuration.GetValue("Querying:TimeBudgetMilliseconds", 5000));

    public static async Task<T> Run<T>(SqliteConnection connection, TimeSpan budget, Func<Task<T>> query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        var handle = connection.Handle;
        using var registration = timeout.Token.Register(() => SQLitePCL.raw.sqlite3_interrupt(handle));
        try
        {
            return await query();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteInterrupt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new QueryTimeoutException();
        }
    }
}

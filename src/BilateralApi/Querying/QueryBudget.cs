using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BilateralApi.Querying;

/// <summary>A list query ran past its time budget and was interrupted.</summary>
public sealed class QueryTimeoutException() : Exception("The query took longer than its time budget.");

/// <summary>
/// Stops a statement that runs too long. SqliteCommand.Cancel() does nothing, so the budget installs
/// SQLite's progress handler on the connection for the statement's run: every
/// <see cref="CheckEvery"/> virtual-machine steps SQLite asks whether to go on, and the answer is no
/// once the budget has elapsed on <see cref="Clock"/> or the client has gone away. SQLite then fails the
/// statement with SQLITE_INTERRUPT, which <see cref="Run{T}"/> turns into <see cref="QueryTimeoutException"/>.
/// The check runs on the query's own thread (no timer racing the next statement on a pooled connection),
/// and time is read from an injectable clock, so tests can trip the budget deterministically.
/// </summary>
public sealed class QueryBudget(TimeSpan limit, TimeProvider clock)
{
    /// <summary>Virtual-machine steps between checks: about a microsecond or two of work.</summary>
    public const int CheckEvery = 1000;

    public const string TimeoutCode = "queryTimeout";

    private const int SqliteInterrupt = 9;

    public TimeSpan Limit { get; } = limit;

    public TimeProvider Clock { get; } = clock;

    /// <summary>From <c>Querying:TimeBudgetMilliseconds</c> (default 5000) on the system clock.</summary>
    public static QueryBudget FromConfiguration(IConfiguration configuration) =>
        new(TimeSpan.FromMilliseconds(configuration.GetValue("Querying:TimeBudgetMilliseconds", 5000)), TimeProvider.System);

    /// <summary>The same clock with a share of the limit (the exact count gets half of it).</summary>
    public QueryBudget Share(double fraction) => new(Limit * fraction, Clock);

    /// <summary>What the 503 of a query stopped by its budget means, for the OpenAPI document.</summary>
    public const string TimeoutDescription = "Service unavailable: the query ran past its time budget and was stopped (code queryTimeout); narrow it, or retry after Retry-After seconds.";

    /// <summary>The answer to a query stopped by its budget: 503 queryTimeout with Retry-After.</summary>
    public ProblemHttpResult TimeoutProblem(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return Problems.Create(503, TimeoutCode, "Query timeout",
            $"The query took longer than its time budget ({Limit.TotalSeconds:0.###} s) and was stopped. Narrow the filters or try again later.");
    }

    public async Task<T> Run<T>(SqliteConnection connection, Func<Task<T>> query, CancellationToken cancellationToken)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var started = Clock.GetTimestamp();
        raw.sqlite3_progress_handler(handle, CheckEvery,
            _ => cancellationToken.IsCancellationRequested || Clock.GetElapsedTime(started) > Limit ? 1 : 0, null);
        try
        {
            return await query();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteInterrupt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new QueryTimeoutException();
        }
        finally
        {
            // The connection goes back to the pool: the next user must not inherit this budget.
            raw.sqlite3_progress_handler(handle, 0, null, null);
        }
    }
}

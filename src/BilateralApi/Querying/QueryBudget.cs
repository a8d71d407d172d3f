using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BilateralApi.Querying;

/// <summary>A list query ran past its time budget and was interrupted.</summary>
public sealed class QueryTimeoutException() : Exception("The query took longer than its time budget.");

/// <summary>
/// The time budget of a request's queries, and the lane of expensive ones.
/// <para>
/// The budget is per request (<see cref="Begin"/>): every statement of a request (page, count, facets)
/// draws on one allowance, so a page and its count together never run past <see cref="Limit"/>. A
/// statement is stopped through SQLite's progress handler (SqliteCommand.Cancel() does nothing): every
/// <see cref="CheckEvery"/> virtual-machine steps SQLite asks whether to go on, and the answer is no once
/// the request's allowance is spent on <see cref="Clock"/> or the client has gone away. SQLite then fails
/// the statement with SQLITE_INTERRUPT, which <see cref="QuerySpend.Run{T}"/> turns into
/// <see cref="QueryTimeoutException"/> (or the caller's cancellation). The check runs on the query's own
/// thread (no timer racing the next statement on a pooled connection), and time is read from an
/// injectable clock, so tests can trip the budget deterministically.
/// </para>
/// <para>
/// With a <see cref="Lane"/>, a request whose statements have used more than <see cref="QueryLane.After"/>
/// is expensive and needs one of the lane's few slots to go on; index-served cheap reads never get that
/// far and never wait. See decision 0023.
/// </para>
/// </summary>
public sealed class QueryBudget(TimeSpan limit, TimeProvider clock, QueryLane? lane = null)
{
    /// <summary>Virtual-machine steps between checks: about a microsecond or two of work.</summary>
    public const int CheckEvery = 1000;

    public const string TimeoutCode = "queryTimeout";

    public TimeSpan Limit { get; } = limit;

    public TimeProvider Clock { get; } = clock;

    /// <summary>The lane of expensive queries; null: every query runs at once.</summary>
    public QueryLane? Lane { get; } = lane;

    /// <summary>
    /// From <c>Querying:TimeBudgetMilliseconds</c> (default 5000) on the system clock, with a lane of
    /// <c>Querying:ExpensiveLane:Slots</c> (default: half the processors, at least 1) for requests past
    /// <c>Querying:ExpensiveLane:AfterMilliseconds</c> (default 100), which wait for a slot at most the budget.
    /// </summary>
    public static QueryBudget FromConfiguration(IConfiguration configuration)
    {
        var limit = TimeSpan.FromMilliseconds(configuration.GetValue("Querying:TimeBudgetMilliseconds", 5000));
        var lane = new QueryLane(
            configuration.GetValue("Querying:ExpensiveLane:Slots", Math.Max(1, Environment.ProcessorCount / 2)),
            TimeSpan.FromMilliseconds(configuration.GetValue("Querying:ExpensiveLane:AfterMilliseconds", 100)),
            limit);
        return new(limit, TimeProvider.System, lane);
    }

    /// <summary>The allowance of one request (an export: of one batch).</summary>
    public QuerySpend Begin() => new(this);

    /// <summary>What the 503 of a query stopped by its budget means, for the OpenAPI document.</summary>
    public const string TimeoutDescription = "Service unavailable: the query ran past its time budget and was stopped (code queryTimeout); narrow it, or retry after Retry-After seconds.";

    /// <summary>The answer to a query stopped by its budget: 503 queryTimeout with Retry-After.</summary>
    public ProblemHttpResult TimeoutProblem(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return Problems.Create(503, TimeoutCode, "Query timeout",
            $"The query took longer than its time budget ({Limit.TotalSeconds:0.###} s) and was stopped. Narrow the filters or try again later.");
    }
}

/// <summary>What one request has spent of its <see cref="QueryBudget"/>; not shared between requests.</summary>
public sealed class QuerySpend(QueryBudget budget)
{
    private const int SqliteInterrupt = 9;

    private enum Stop { None, Spent, Lane }

    /// <summary>Time the request's statements have run so far.</summary>
    public TimeSpan Spent { get; private set; }

    /// <summary>
    /// Runs one statement on what is left of the request's budget (and at most <paramref name="cap"/> of it).
    /// A statement that makes the request expensive without holding a lane slot is stopped, waits for a
    /// slot, and runs again from the start (<paramref name="query"/> must only read); its work so far stays spent.
    /// </summary>
    public async Task<T> Run<T>(SqliteConnection connection, Func<Task<T>> query, CancellationToken cancellationToken, TimeSpan? cap = null)
    {
        var lane = budget.Lane;
        IDisposable? slot = null;
        try
        {
            if (lane is not null && Spent > lane.After)
            {
                slot = await lane.EnterAsync(cancellationToken);
            }
            while (true)
            {
                var (done, value) = await RunOnce(connection, query, cap, lane is not null && slot is null, cancellationToken);
                if (done)
                {
                    return value!;
                }
                slot = await lane!.EnterAsync(cancellationToken);
            }
        }
        finally
        {
            slot?.Dispose();
        }
    }

    private async Task<(bool Done, T? Value)> RunOnce<T>(SqliteConnection connection, Func<Task<T>> query, TimeSpan? cap, bool laneAfter, CancellationToken cancellationToken)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var clock = budget.Clock;
        var spentBefore = Spent;
        var left = budget.Limit - spentBefore;
        var allowed = cap is { } c && c < left ? c : left;
        var after = budget.Lane?.After ?? TimeSpan.MaxValue;
        var stop = Stop.None;
        var started = clock.GetTimestamp();
        raw.sqlite3_progress_handler(handle, QueryBudget.CheckEvery, _ =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return 1;
            }
            var elapsed = clock.GetElapsedTime(started);
            stop = elapsed > allowed ? Stop.Spent : laneAfter && spentBefore + elapsed > after ? Stop.Lane : Stop.None;
            return stop == Stop.None ? 0 : 1;
        }, null);
        try
        {
            return (true, await query());
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteInterrupt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (stop == Stop.Lane)
            {
                return (false, default);
            }
            throw new QueryTimeoutException();
        }
        finally
        {
            // The connection goes back to the pool: the next user must not inherit this budget.
            raw.sqlite3_progress_handler(handle, 0, null, null);
            Spent = spentBefore + clock.GetElapsedTime(started);
        }
    }
}

/// <summary>
/// The lane of expensive queries: <see cref="Slots"/> of them run at once; a request that becomes
/// expensive (its statements have run longer than <see cref="After"/>) waits for a slot, at most
/// <see cref="Wait"/> (then 503 queryTimeout), without holding a thread while it waits.
/// </summary>
public sealed class QueryLane(int slots, TimeSpan after, TimeSpan wait) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, slots), Math.Max(1, slots));
    private int _waiting;

    public int Slots { get; } = Math.Max(1, slots);

    public TimeSpan After { get; } = after;

    public TimeSpan Wait { get; } = wait;

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>A slot, held until disposed.</summary>
    /// <exception cref="QueryTimeoutException">No slot freed within <see cref="Wait"/>.</exception>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        bool entered;
        try
        {
            entered = await _slots.WaitAsync(Wait, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        return entered ? new Slot(_slots) : throw new QueryTimeoutException();
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}

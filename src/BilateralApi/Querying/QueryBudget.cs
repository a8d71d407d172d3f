using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Data.Common;

namespace BilateralApi.Querying;

/// <summary>A list query ran past its time budget and was interrupted.</summary>
public sealed class QueryTimeoutException() : Exception("The query took longer than its time budget.");

/// <summary>
/// The time budget of a request's queries, and the lane of expensive ones.
/// <para>
/// The budget is per request (<see cref="Begin"/>): every statement of a request (page, count, facets)
/// draws on one allowance, so a page and its count together never run past <see cref="Limit"/>. The
/// store stops a statement whose allowance is spent (<see cref="IStatementStop"/>: SQLite's progress
/// handler, PostgreSQL's statement_timeout), and <see cref="QuerySpend.Run{T}"/> turns that into
/// <see cref="QueryTimeoutException"/> (or the caller's cancellation). Time is read from an injectable
/// clock, so tests can trip SQLite's budget deterministically.
/// </para>
/// <para>
/// With a <see cref="Lane"/>, a request whose statements have used more than <see cref="QueryLane.After"/>
/// is expensive and needs one of the lane's few slots to go on; index-served cheap reads never get that
/// far and never wait. See decision 0023.
/// </para>
/// </summary>
public sealed class QueryBudget(TimeSpan limit, TimeProvider clock, QueryLane? lane = null)
{
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

/// <summary>Why a store stopped a statement: its allowance was spent, or it became expensive without a lane slot.</summary>
public enum StatementStop { None, Spent, Lane }

/// <summary>
/// How a store stops one of its statements on time (SQLite: its progress handler; PostgreSQL: statement_timeout).
/// <see cref="QuerySpend"/> decides how long a statement may run; the store enforces it.
/// </summary>
public interface IStatementStop
{
    /// <summary>
    /// Runs <paramref name="query"/> on <paramref name="connection"/>, stopping it once it has run
    /// <paramref name="allowed"/> (<see cref="StatementStop.Spent"/>) or, when given, <paramref name="lane"/>
    /// (<see cref="StatementStop.Lane"/>), measured from its start on <paramref name="clock"/> where the store can.
    /// A statement stopped because <paramref name="cancellationToken"/> fired throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<(StatementStop Stop, T? Value)> RunAsync<T>(DbConnection connection, Func<Task<T>> query, TimeSpan allowed, TimeSpan? lane, TimeProvider clock, CancellationToken cancellationToken);
}

/// <summary>What one request has spent of its <see cref="QueryBudget"/>; not shared between requests.</summary>
public sealed class QuerySpend(QueryBudget budget)
{
    /// <summary>Time the request's statements have run so far.</summary>
    public TimeSpan Spent { get; private set; }

    /// <summary>
    /// Runs one statement on what is left of the request's budget (and at most <paramref name="cap"/> of it),
    /// stopped on time by the store (<paramref name="stop"/>).
    /// A statement that makes the request expensive without holding a lane slot is stopped, waits for a
    /// slot, and runs again from the start (<paramref name="query"/> must only read); its work so far stays spent.
    /// </summary>
    public async Task<T> Run<T>(IStatementStop stop, DbConnection connection, Func<Task<T>> query, CancellationToken cancellationToken, TimeSpan? cap = null)
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
                var (done, value) = await RunOnce(stop, connection, query, cap, lane is not null && slot is null, cancellationToken);
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

    private async Task<(bool Done, T? Value)> RunOnce<T>(IStatementStop stop, DbConnection connection, Func<Task<T>> query, TimeSpan? cap, bool laneAfter, CancellationToken cancellationToken)
    {
        var clock = budget.Clock;
        var spentBefore = Spent;
        var left = budget.Limit - spentBefore;
        var allowed = cap is { } c && c < left ? c : left;
        TimeSpan? lane = laneAfter ? budget.Lane!.After - spentBefore : null;
        var started = clock.GetTimestamp();
        try
        {
            var (stopped, value) = await stop.RunAsync(connection, query, allowed, lane, clock, cancellationToken);
            return stopped switch
            {
                StatementStop.None => (true, value),
                StatementStop.Lane => (false, default),
                _ => throw new QueryTimeoutException(),
            };
        }
        finally
        {
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

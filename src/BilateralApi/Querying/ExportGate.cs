using System.Threading.RateLimiting;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Querying;

/// <summary>
/// Bounds how many CSV/NDJSON exports stream at once (<c>Querying:MaxConcurrentExports</c>, default 4),
/// server-wide, with ASP.NET Core's <see cref="ConcurrencyLimiter"/> and no queue: an export beyond the
/// bound is refused at once (503 exportsBusy with Retry-After) instead of waiting with its connection open.
/// It also counts the exports running and the batches they have read, which is how an operator (and a
/// test) sees that an abandoned export stopped. Why 503 and not 429: decision 0023.
/// </summary>
public sealed class ExportGate(int maxConcurrent) : IDisposable
{
    public const string BusyCode = "exportsBusy";

    /// <summary>An export takes seconds to minutes; the answer cannot know when a slot frees, so it says a short, honest wait.</summary>
    public const int RetryAfterSeconds = 10;

    /// <summary>What the 503 of a refused export means, for the OpenAPI document.</summary>
    public const string BusyDescription = "for a CSV or NDJSON export, the server already streams as many exports as it allows at once (code exportsBusy); retry after Retry-After seconds.";

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions { PermitLimit = Math.Max(1, maxConcurrent), QueueLimit = 0 });
    private int _running;
    private long _batches;

    public int MaxConcurrent { get; } = Math.Max(1, maxConcurrent);

    /// <summary>Exports streaming now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Batches (of up to 500 rows) read by all exports since start.</summary>
    public long BatchesRead => Interlocked.Read(ref _batches);

    public static ExportGate FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetValue("Querying:MaxConcurrentExports", 4));

    /// <summary>A slot for one export, or null when every slot is taken. Dispose the slot when the export ends.</summary>
    public IDisposable? TryEnter()
    {
        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return null;
        }
        Interlocked.Increment(ref _running);
        return new Slot(this, lease);
    }

    internal void BatchRead() => Interlocked.Increment(ref _batches);

    public ProblemHttpResult BusyProblem(HttpContext http)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Create(503, BusyCode, "Too many exports",
            $"{MaxConcurrent} exports are streaming already, the most this server runs at once. Retry after the time in Retry-After, or page through the list as JSON.");
    }

    public void Dispose() => _limiter.Dispose();

    private sealed class Slot(ExportGate gate, RateLimitLease lease) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref gate._running);
                lease.Dispose();
            }
        }
    }
}

using System.Data;
using System.Data.Common;
using System.Globalization;
using BilateralApi.Querying;
using Dapper;
using Npgsql;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>
/// Stops a PostgreSQL statement with the server's own statement_timeout, set for the one statement and
/// reset after it: the server cancels the statement past it with SQLSTATE 57014 (query_canceled), which is
/// read here as the budget's stop. The server measures real time, not the budget's clock. A lane deadline
/// earlier than the allowance is the time-out instead, and a stop then means "wait for a lane slot".
/// </summary>
public sealed class PostgresStatementStop : IStatementStop
{
    public static readonly PostgresStatementStop Instance = new();

    public async Task<(StatementStop Stop, T? Value)> RunAsync<T>(DbConnection connection, Func<Task<T>> query, TimeSpan allowed, TimeSpan? lane, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (deadline, reason) = lane is { } l && l < allowed ? (l, StatementStop.Lane) : (allowed, StatementStop.Spent);
        // 0 would mean "no time-out": a spent allowance still stops the statement at once.
        var milliseconds = Math.Max(1, (long)Math.Ceiling(deadline.TotalMilliseconds));
        await connection.ExecuteAsync(new CommandDefinition("SELECT set_config('statement_timeout', @timeout, false)",
            new { timeout = milliseconds.ToString(CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken));
        try
        {
            return (StatementStop.None, await query());
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return (reason, default);
        }
        finally
        {
            // The connection goes back to the pool: the next user must not inherit this time-out.
            if (connection.State == ConnectionState.Open)
            {
                await connection.ExecuteAsync(new CommandDefinition("RESET statement_timeout", cancellationToken: CancellationToken.None));
            }
        }
    }
}

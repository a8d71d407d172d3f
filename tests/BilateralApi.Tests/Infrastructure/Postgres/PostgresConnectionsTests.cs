using BilateralApi.Infrastructure.Database.Postgres;
using Npgsql;

namespace BilateralApi.Tests.Infrastructure.Postgres;

/// <summary>PostgreSQL's own side of the write lock; what both stores share is in SharedStateTests.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresConnectionsTests
{
    [SkippableFact]
    public async Task A_writer_that_waits_longer_than_the_lock_timeout_for_the_write_lock_is_refused_and_the_lock_ends_with_the_transaction()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await using var one = new PostgresConnections(database.ConnectionString);
        await using var other = new PostgresConnections(database.ConnectionString, writeLockTimeoutMilliseconds: 300);

        await using (var holder = await one.BeginWriteAsync(CancellationToken.None))
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var refused = await Assert.ThrowsAsync<PostgresException>(() => other.BeginWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(PostgresErrorCodes.LockNotAvailable, refused.SqlState);
            Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        }

        // Rolled back by disposal: the lock went with the transaction, and the refused writer's connection went back to the pool usable.
        await using var next = await other.BeginWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        await next.CommitAsync(CancellationToken.None);
    }
}

using BilateralApi.Changes;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Security;
using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>
/// The state that lets several instances on one database act as one service lives in the database: each test body
/// runs on both stores, with two connection factories standing for two API processes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedStateTests
{
    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task The_cursor_key_is_generated_once_and_shared_by_instances(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var configuration = new ConfigurationBuilder().Build();
        var first = store.Instance();
        var second = store.Instance();

        // Instances starting together race to generate the key: every one must end up signing with the stored one.
        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () => await new CursorKeys(i % 2 == 0 ? first : second, configuration).GetAsync(CancellationToken.None))));

        Assert.All(keys, k => Assert.Equal(keys[0], k));
        Assert.Equal(32, keys[0].Length);
        await using var connection = await second.OpenAsync(CancellationToken.None);
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM app_meta WHERE key = 'cursor.hmacKey'"));
        var cursor = Cursor.Encode([42L, "x"], "fp", keys[0]);
        var later = await new CursorKeys(second, configuration).GetAsync(CancellationToken.None);
        Assert.True(Cursor.TryDecode(cursor, "fp", later, out var decoded, out var error), error);
        Assert.Equal([42L, "x"], decoded);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task An_idempotency_key_claimed_by_two_instances_at_once_is_taken_once_and_replays_on_either(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        IdempotencyStore[] instances = [new(store.Instance(), TimeProvider.System), new(store.Instance(), TimeProvider.System)];

        using var start = new Barrier(8);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await instances[i % 2].ClaimAsync("owner", "key-1", "hash-1", CancellationToken.None);
        })));

        Assert.Single(claims, c => c.Outcome == IdempotencyOutcome.Proceed);
        Assert.All(claims.Where(c => c.Outcome != IdempotencyOutcome.Proceed), c => Assert.Equal(IdempotencyOutcome.InFlight, c.Outcome));

        var winner = instances[Array.FindIndex(claims, c => c.Outcome == IdempotencyOutcome.Proceed) % 2];
        await winner.CompleteAsync("owner", "key-1", 201, new Dictionary<string, string> { ["Location"] = "/v1/sources/s1" }, [1, 2, 3], CancellationToken.None);
        foreach (var instance in instances)
        {
            var replay = await instance.ClaimAsync("owner", "key-1", "hash-1", CancellationToken.None);
            Assert.Equal(IdempotencyOutcome.Replay, replay.Outcome);
            Assert.Equal(201L, replay.Stored!.Status);
            Assert.Equal([1, 2, 3], replay.Stored.Body);
            Assert.Contains("/v1/sources/s1", replay.Stored.Headers);
            Assert.Equal(IdempotencyOutcome.Mismatch, (await instance.ClaimAsync("owner", "key-1", "hash-2", CancellationToken.None)).Outcome);
        }

        // A released key (a server error) is free again, on the other instance too.
        Assert.Equal(IdempotencyOutcome.Proceed, (await instances[0].ClaimAsync("owner", "key-2", "hash-1", CancellationToken.None)).Outcome);
        await instances[0].ReleaseAsync("owner", "key-2", CancellationToken.None);
        Assert.Equal(IdempotencyOutcome.Proceed, (await instances[1].ClaimAsync("owner", "key-2", "hash-1", CancellationToken.None)).Outcome);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task An_api_key_created_on_one_instance_works_on_the_other_until_either_revokes_it(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var one = new ApiKeyStore(store.Instance(), TimeProvider.System);
        var other = new ApiKeyStore(store.Instance(), TimeProvider.System);

        var (info, key) = await one.CreateAsync("editor", [ApiScopes.Write, ApiScopes.Import], CancellationToken.None);

        var validated = await other.ValidateAsync(key, CancellationToken.None);
        Assert.NotNull(validated);
        Assert.Equal(info.Id, validated.Id);
        Assert.Equal([ApiScopes.Import, ApiScopes.Write], validated.Scopes);
        Assert.Null(await other.ValidateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), CancellationToken.None));
        Assert.Equal([info.Id], (await other.ListAsync(CancellationToken.None)).Select(k => k.Id));

        Assert.True(await other.RevokeAsync(info.Id, CancellationToken.None));
        Assert.Null(await one.ValidateAsync(key, CancellationToken.None));
        Assert.NotNull((await one.ListAsync(CancellationToken.None)).Single().RevokedAt);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Concurrent_change_log_writers_reach_a_feed_reader_paging_meanwhile_in_seq_order_with_none_skipped(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var changeLog = new ChangeLog(new HttpContextAccessor(), TimeProvider.System);
        const int Writers = 4;
        const int Writes = 25;
        var writerInstances = Enumerable.Range(0, Writers).Select(_ => store.Instance()).ToList();
        var feed = new ChangeRepository(store.Instance());

        var writers = Task.WhenAll(writerInstances.Select((connections, w) => Task.Run(async () =>
        {
            for (var i = 0; i < Writes; i++)
            {
                await using var scope = await connections.BeginWriteAsync(CancellationToken.None);
                await changeLog.RecordAsync(scope, "sources", $"w{w}-{i}", WriteStatus.Created, 1, null, CancellationToken.None);
                // The window in which a store that hands out seqs without ordering commits lets a later seq commit first.
                await Task.Delay(Random.Shared.Next(0, 3));
                await scope.CommitAsync(CancellationToken.None);
            }
        })));

        var seen = new List<long>();
        async Task<bool> PageAsync()
        {
            var page = await feed.FeedAsync(seen.Count == 0 ? 0 : seen[^1], "", null, 7, CancellationToken.None);
            seen.AddRange(page.Take(7).Select(r => r.Seq));
            return page.Count > 7;
        }
        while (!writers.IsCompleted)
        {
            await PageAsync();
        }
        await writers;
        while (await PageAsync())
        {
        }

        await using var connection = await store.Instance().OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<long>("SELECT seq FROM change_log ORDER BY seq")).ToList();
        Assert.Equal(Writers * Writes, stored.Count);
        Assert.Equal(stored, seen);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_record_history_written_on_one_instance_reads_the_same_on_the_other_imported_trade_versions_included(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var changeLog = new ChangeLog(new HttpContextAccessor(), TimeProvider.System);
        var writer = store.Instance();
        long importSeq;
        await using (var scope = await writer.BeginWriteAsync(CancellationToken.None))
        {
            Assert.Equal(1, await ChangeLog.FirstVersionAsync(scope, "sources", "s1", CancellationToken.None));
            await changeLog.RecordAsync(scope, "sources", "s1", WriteStatus.Created, 1, null, CancellationToken.None);
            await changeLog.RecordAsync(scope, "sources", "s1", WriteStatus.Deleted, 2, null, CancellationToken.None);
            Assert.Equal(3, await ChangeLog.FirstVersionAsync(scope, "sources", "s1", CancellationToken.None));
            var import = changeLog.BeginImport(scope, "trade-records");
            importSeq = import.Append();
            Assert.Equal(importSeq, import.Append());
            await scope.Connection.ExecuteAsync(
                "INSERT INTO trade_import_range (import_seq, first_id, last_id) VALUES (@importSeq, 100, 199)", new { importSeq }, scope.Transaction);
            await scope.Connection.ExecuteAsync(
                "INSERT INTO trade_record_import (import_seq, record_id, version, created) VALUES (@importSeq, 7, 4, 0)", new { importSeq }, scope.Transaction);
            await scope.CommitAsync(CancellationToken.None);
        }

        var reader = new ChangeRepository(store.Instance());
        var history = await reader.HistoryAsync("sources", "s1", 0, "", 10, CancellationToken.None);
        Assert.Equal([("create", 1L), ("delete", 2L)], history!.Select(r => (r.Action, r.Version)));
        var imported = await reader.HistoryAsync("trade-records", "150", 0, "", 10, CancellationToken.None);
        Assert.Equal([("create", 1L, ChangeLog.ImportId(importSeq))], imported!.Select(r => (r.Action, r.Version, r.Import)));
        var updated = await reader.HistoryAsync("trade-records", "7", 0, "", 10, CancellationToken.None);
        Assert.Equal([("update", 4L, "7")], updated!.Select(r => (r.Action, r.Version, r.RecordId)));
        Assert.Null(await reader.HistoryAsync("trade-records", "200", 0, "", 10, CancellationToken.None));
        Assert.Null(await reader.HistoryAsync("sources", "s2", 0, "", 10, CancellationToken.None));

        var feed = await reader.FeedAsync(0, "", null, 10, CancellationToken.None);
        Assert.Equal(["s1", "s1", ChangeLog.ImportId(importSeq)], feed.Select(r => r.RecordId));
        Assert.Equal(importSeq, await reader.LatestSeqAsync(CancellationToken.None));
        Assert.Equal([ChangeLog.ImportId(importSeq)], (await reader.FeedAsync(0, "", "trade-records", 10, CancellationToken.None)).Select(r => r.RecordId));
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Writers_on_two_instances_take_turns(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var one = store.Instance();
        var other = store.Instance();

        await using (var first = await one.BeginWriteAsync(CancellationToken.None))
        {
            // Off this thread: SQLite's driver waits for its lock synchronously, even in the async call.
            var second = Task.Run(() => other.BeginWriteAsync(CancellationToken.None));
            await Task.Delay(300);
            Assert.False(second.IsCompleted, "a second writer started while the first still held the write lock");
            await first.CommitAsync(CancellationToken.None);
            await using var turn = await second.WaitAsync(TimeSpan.FromSeconds(10));
            await turn.CommitAsync(CancellationToken.None);
        }
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_write_on_one_instance_changes_the_collection_etag_the_other_computes(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var writer = store.Instance();
        var reader = store.Instance();
        var changeLog = new ChangeLog(new HttpContextAccessor(), TimeProvider.System);

        var (before, _) = await ListETagAsync(reader, null);
        Assert.Equal((before, 304), await ListETagAsync(reader, before));
        await using (var scope = await writer.BeginWriteAsync(CancellationToken.None))
        {
            await changeLog.RecordAsync(scope, "sources", "s1", WriteStatus.Created, 1, null, CancellationToken.None);
            await scope.CommitAsync(CancellationToken.None);
        }

        var (after, status) = await ListETagAsync(reader, before);
        Assert.Equal(200, status);
        Assert.NotEqual(before, after);
        Assert.Equal((after, 304), await ListETagAsync(reader, after));
    }

    /// <summary>A GET of a list through the ETag filter on <paramref name="connections"/>: the tag and the status.</summary>
    private static async Task<(string? ETag, int Status)> ListETagAsync(IStoreConnections connections, string? ifNoneMatch)
    {
        await using var services = new ServiceCollection().AddSingleton(connections).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = HttpMethods.Get;
        if (ifNoneMatch is not null)
        {
            http.Request.Headers.IfNoneMatch = ifNoneMatch;
        }
        var result = await CollectionETags.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult<object?>(TypedResults.Ok()));
        return (http.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null, ((IStatusCodeHttpResult)result!).StatusCode!.Value);
    }
}

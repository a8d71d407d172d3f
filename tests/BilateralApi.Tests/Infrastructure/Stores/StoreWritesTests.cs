using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Sources;
using BilateralApi.Tests.Infrastructure.Postgres;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>The curated write flow (<see cref="VersionedWrites"/>) through a repository on <see cref="IStoreConnections"/>, on each store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreWritesTests
{
    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_source_created_replaced_and_deleted_across_two_instances_keeps_its_versions_and_if_match(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var one = Sources(store.Instance());
        var other = Sources(store.Instance());

        var created = await one.CreateAsync(Write(null, "First title"), CancellationToken.None);
        Assert.Equal(WriteStatus.Created, created.Status);
        Assert.Equal(("first-title", 1L), (created.Row!.Id, created.Row.Version));
        Assert.Equal(WriteStatus.AlreadyExists, (await other.CreateAsync(Write("first-title", "Again"), CancellationToken.None)).Status);

        var replaced = await other.PutAsync("first-title", Write("first-title", "Second title"), IfMatch(1), CancellationToken.None);
        Assert.Equal((WriteStatus.Updated, 2L), (replaced.Status, replaced.Row!.Version));
        Assert.Equal(WriteStatus.Unchanged, (await one.PutAsync("first-title", Write("first-title", "Second title"), IfMatch(2), CancellationToken.None)).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await one.PutAsync("first-title", Write("first-title", "Stale"), IfMatch(1), CancellationToken.None)).Status);
        Assert.Equal(WriteStatus.PreconditionRequired, (await one.PutAsync("first-title", Write("first-title", "Blind"), IfMatch(null), CancellationToken.None)).Status);
        Assert.Equal("Second title", (await one.GetAsync("first-title", CancellationToken.None))!.Title);

        Assert.Equal(WriteStatus.PreconditionFailed, (await one.DeleteAsync("first-title", IfMatch(1), CancellationToken.None)).Status);
        Assert.Equal(WriteStatus.Deleted, (await one.DeleteAsync("first-title", IfMatch(2), CancellationToken.None)).Status);
        Assert.Null(await other.GetAsync("first-title", CancellationToken.None));
        Assert.Equal(WriteStatus.NotFound, (await other.DeleteAsync("first-title", IfMatch(2), CancellationToken.None)).Status);

        // Created again under the used id: the version continues after the tombstone (version 2), never repeating an ETag.
        var again = await other.PutAsync("first-title", Write("first-title", "Third title"), IfMatch(null), CancellationToken.None);
        Assert.Equal((WriteStatus.Created, 3L), (again.Status, again.Row!.Version));
    }

    private static SourceRepository Sources(IStoreConnections connections) =>
        new(connections, new VersionedWrites(connections, new ChangeLog(new HttpContextAccessor(), TimeProvider.System), TimeProvider.System));

    private static SourceWrite Write(string? id, string title) =>
        new(id, "report", null, null, title, null, null, null, "high", null, null);

    /// <summary>The request's precondition as the handlers evaluate it: If-Match with the version's ETag, or none.</summary>
    internal static Func<long?, Preconditions.Outcome> IfMatch(long? version)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        if (version is { } v)
        {
            http.Request.Headers.IfMatch = Preconditions.ETagFor(v);
        }
        return current => Preconditions.Evaluate(http.Request, current);
    }
}

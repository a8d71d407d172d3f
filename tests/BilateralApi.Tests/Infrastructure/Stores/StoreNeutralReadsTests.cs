using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Database.Postgres;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>Reads whose SQL is the same on both stores, run on each through <see cref="IStoreConnections"/>.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreNeutralReadsTests
{
    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task The_record_lookup_finds_ids_written_by_another_instance_and_in_its_own_write(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var scope = await store.Instance().BeginWriteAsync(CancellationToken.None))
        {
            await InsertSourceAsync(scope, "s1");
            await scope.CommitAsync(CancellationToken.None);
        }

        var lookup = new RecordLookup(store.Instance());
        Assert.Equal(["s1"], await lookup.ExistingAsync("source", ["s1", "s2", null, "s1"], CancellationToken.None));
        Assert.True(await lookup.ExistsAsync("source", "s1", CancellationToken.None));
        Assert.False(await lookup.ExistsAsync("agreement", "s1", CancellationToken.None));

        await using var write = await store.Instance().BeginWriteAsync(CancellationToken.None);
        await InsertSourceAsync(write, "s2");
        Assert.Equal(["s1", "s2"], (await new RecordLookup(write).ExistingAsync("source", ["s1", "s2", "s3"], CancellationToken.None)).Order(StringComparer.Ordinal));
        var preloaded = await RecordLookup.PreloadAsync(write, CancellationToken.None);
        Assert.True(await preloaded.ExistsAsync("source", "s2", CancellationToken.None));
        Assert.False(await preloaded.ExistsAsync("source", "s3", CancellationToken.None));
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task The_health_check_is_healthy_when_the_stores_migrations_are_applied_and_names_those_missing(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var migrations = (kind == StoreKind.Sqlite ? SqliteSchema.Migrations() : PostgresMigrator.Migrations()).Select(m => m.Name).ToList();

        var healthy = await new DatabaseHealthCheck(store.Instance(), migrations).CheckHealthAsync(new HealthCheckContext());
        var behind = await new DatabaseHealthCheck(store.Instance(), [.. migrations, "9999_from_a_newer_build.sql"]).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, behind.Status);
        Assert.Equal("1 migration(s) not applied.", behind.Description);
    }

    private static Task InsertSourceAsync(IWriteScope scope, string id) => scope.Connection.ExecuteAsync(
        "INSERT INTO source (id, type, reliability, created_at, updated_at, version) VALUES (@id, 'report', 'high', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)",
        new { id }, scope.Transaction);
}

using System.Text.Json;
using BilateralApi.Agreements;
using BilateralApi.Claims;
using BilateralApi.Dyads;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Querying;
using BilateralApi.Sources;
using BilateralApi.TradeAnalytics;
using BilateralApi.TradeRecords;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>
/// The curated repositories, the seed loader, trade records, dyads, trade analytics and claim checks on
/// <see cref="IStoreConnections"/>, run on each store without HTTP: the app's services with the store under test
/// as their connections.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreRepositoriesTests
{
    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task The_seed_loads_through_the_repositories_and_another_instance_reads_every_record_back_with_its_child_rows(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var one = new StoreHost(store.Instance());
        var counts = await one.SeedAsync();
        Assert.Equal($"{Seed<SourceWrite>("sources").Count} sources, {Seed<AgreementWrite>("agreements").Count} agreements, {Seed<EventWrite>("events").Count} events, " +
            $"{Seed<ClaimWrite>("claims").Count} claims, 0 trade-records", counts);

        // Put again through another instance: every record reads back (row, parties, subjects, contexts, participants,
        // citations) exactly as written, so the write flow stores nothing.
        await using var other = new StoreHost(store.Instance());
        var always = (Func<long?, Preconditions.Outcome>)(_ => Preconditions.Outcome.Proceed);
        var agreements = other.Get<AgreementRepository>();
        var events = other.Get<EventRepository>();
        var claims = other.Get<ClaimRepository>();
        foreach (var write in Seed<AgreementWrite>("agreements"))
        {
            Assert.Equal(WriteStatus.Unchanged, (await agreements.PutAsync(write.Id!, write, always, CancellationToken.None)).Status);
        }
        foreach (var write in Seed<EventWrite>("events"))
        {
            Assert.Equal(WriteStatus.Unchanged, (await events.PutAsync(write.Id!, write, always, CancellationToken.None)).Status);
        }
        foreach (var write in Seed<ClaimWrite>("claims"))
        {
            Assert.Equal(WriteStatus.Unchanged, (await claims.PutAsync(write.Id!, write, always, CancellationToken.None)).Status);
        }

        // The child rows really are there (the comparison above is not between two empty lists).
        var withParties = Seed<AgreementWrite>("agreements").First(a => a.Parties is { Count: > 1 } && a.Subjects is { Count: > 0 } && a.Citations is { Count: > 0 });
        var agreement = (await agreements.GetAsync(withParties.Id!, CancellationToken.None))!;
        Assert.Equal(withParties.Parties!.Count, agreement.Parties.Count);
        Assert.Equal(withParties.Subjects!.Order(StringComparer.Ordinal), agreement.Subjects);
        Assert.Equal(withParties.Citations!.Select(c => c.SourceId), agreement.Citations.Select(c => c.SourceId));
        var withParticipants = Seed<EventWrite>("events").First(e => e.Participants is { Count: > 1 } && e.Contexts is { Count: > 0 } && e.Citations is { Count: > 0 });
        var @event = (await events.GetAsync(withParticipants.Id!, CancellationToken.None))!;
        Assert.Equal(withParticipants.Participants!.Select(p => p.Role), @event.Participants.Select(p => p.Role));
        Assert.Equal(withParticipants.Contexts!.Order(StringComparer.Ordinal), @event.Contexts.Order(StringComparer.Ordinal));
        Assert.Equal(withParticipants.Citations!.Count, @event.Citations.Count);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Agreements_events_claims_and_trade_records_are_replaced_and_deleted_with_their_child_rows(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var one = new StoreHost(store.Instance());
        await one.SeedAsync();
        await using var other = new StoreHost(store.Instance());

        // An agreement loses a party and gains a subject; the other instance reads the new child rows.
        var agreements = one.Get<AgreementRepository>();
        var seeded = Seed<AgreementWrite>("agreements").First(a => a.Parties is { Count: > 1 });
        var current = (await agreements.GetAsync(seeded.Id!, CancellationToken.None))!;
        var changed = current.ToWrite() with { Parties = [.. current.Parties.Take(1)], Subjects = [.. current.Subjects.Append("zz-test").Distinct()] };
        var replaced = await agreements.PutAsync(seeded.Id!, changed, IfMatch(current.Version), CancellationToken.None);
        Assert.Equal((WriteStatus.Updated, current.Version + 1), (replaced.Status, replaced.Row!.Version));
        var read = (await other.Get<AgreementRepository>().GetAsync(seeded.Id!, CancellationToken.None))!;
        Assert.Single(read.Parties);
        Assert.Contains("zz-test", read.Subjects);
        Assert.Equal(WriteStatus.PreconditionFailed, (await other.Get<AgreementRepository>().PutAsync(seeded.Id!, changed, IfMatch(current.Version), CancellationToken.None)).Status);

        // An agreement an event points at cannot be deleted; the event can, and its child rows and citations go with it.
        var events = other.Get<EventRepository>();
        var linked = Seed<EventWrite>("events").First(e => e.RelatedAgreementId is not null && e.Citations is { Count: > 0 } && e.Participants is { Count: > 0 });
        var target = (await agreements.GetAsync(linked.RelatedAgreementId!, CancellationToken.None))!;
        Assert.Equal(WriteStatus.InUse, (await agreements.DeleteAsync(target.Id, IfMatch(target.Version), CancellationToken.None)).Status);
        var eventRow = (await events.GetAsync(linked.Id!, CancellationToken.None))!;
        Assert.Equal(WriteStatus.Deleted, (await events.DeleteAsync(linked.Id!, IfMatch(eventRow.Version), CancellationToken.None)).Status);
        Assert.Null(await one.Get<EventRepository>().GetAsync(linked.Id!, CancellationToken.None));
        await using (var connection = await store.Instance().OpenAsync(CancellationToken.None))
        {
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(
                "SELECT (SELECT COUNT(*) FROM citation WHERE record_kind = 'event' AND record_id = @id) + (SELECT COUNT(*) FROM event_participant WHERE event_id = @id)",
                new { id = linked.Id }));
        }

        // A claim is deleted with its citations; created again under its id, its version continues.
        var claims = one.Get<ClaimRepository>();
        var claimWrite = Seed<ClaimWrite>("claims")[0];
        var claim = (await claims.GetAsync(claimWrite.Id!, CancellationToken.None))!;
        Assert.NotEmpty(claim.Citations);
        Assert.Equal(WriteStatus.Deleted, (await claims.DeleteAsync(claim.Id, IfMatch(claim.Version), CancellationToken.None)).Status);
        var again = await other.Get<ClaimRepository>().PutAsync(claim.Id, claimWrite, IfMatch(null), CancellationToken.None);
        Assert.Equal((WriteStatus.Created, claim.Version + 1), (again.Status, again.Row!.Version));

        // Trade records: the store chooses the id; a second row with the natural key is refused and named.
        var trade = one.Get<TradeRecordRepository>();
        var created = await trade.CreateAsync(Trade("AZE", "ISR", 2022, null, "X", "27", 1000.5m, 2000.25m, "FOB"), CancellationToken.None);
        Assert.Equal(WriteStatus.Created, created.Status);
        var duplicate = await other.Get<TradeRecordRepository>().CreateAsync(Trade("AZ", "IL", 2022, null, "X", "27", 1m, null, "FOB"), CancellationToken.None);
        Assert.Equal((WriteStatus.AlreadyExists, created.Row!.Id), (duplicate.Status, duplicate.Row!.Id));
        var updated = await other.Get<TradeRecordRepository>().ReplaceAsync(created.Row.Id, Trade("AZE", "ISR", 2022, null, "X", "27", 1100m, null, "CIF"), IfMatch(1), CancellationToken.None);
        Assert.Equal((WriteStatus.Updated, 2L), (updated.Status, updated.Row!.Version));
        var stored = (await trade.GetAsync(created.Row.Id, CancellationToken.None))!;
        Assert.Equal((1100m, (decimal?)null, "CIF"), (stored.ValueUsd!.Value, stored.NetWeightKg, stored.ValueBasis));
        Assert.Equal(WriteStatus.Deleted, (await trade.DeleteAsync(created.Row.Id, IfMatch(2), CancellationToken.None)).Status);
        Assert.Null(await other.Get<TradeRecordRepository>().GetAsync(created.Row.Id, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Dyads_trade_analytics_and_claim_checks_answer_the_same_on_both_stores()
    {
        var sqlite = await AnswersAsync(StoreKind.Sqlite);
        var postgres = await AnswersAsync(StoreKind.Postgres);

        Assert.Equal(sqlite.Keys, postgres.Keys);
        foreach (var (name, answer) in sqlite)
        {
            Assert.True(answer == postgres[name], $"{name} differs.\nSQLite:     {answer}\nPostgreSQL: {postgres[name]}");
        }

        // Not two empty answers: the figures are those of the rows written.
        using var mirror = JsonDocument.Parse(postgres["mirror"]);
        var year = mirror.RootElement.GetProperty("years")[0];
        Assert.Equal(["FOB"], year.GetProperty("reported").GetProperty("valueBases").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(["CIF"], year.GetProperty("mirror").GetProperty("valueBases").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(-99.5m, year.GetProperty("gapUsd").GetDecimal());
        using var share = JsonDocument.Parse(postgres["partnerShare"]);
        Assert.Equal(12.5062m, share.RootElement.GetProperty("years")[0].GetProperty("sharePercent").GetDecimal());
        using var dyad = JsonDocument.Parse(postgres["dyad"]);
        Assert.True(dyad.RootElement.GetProperty("agreements").GetProperty("total").GetInt32() > 0);
        Assert.Contains(dyad.RootElement.GetProperty("sources").EnumerateArray(), s => s.GetProperty("tradeRecords").GetInt32() == TradeRows.Count(r => r.Partner is "AZE" or "ISR"));
        using var timeline = JsonDocument.Parse(postgres["timeline"]);
        Assert.Equal(Seed<EventWrite>("events").Count(e => e.Participants?.Any(p => p.Country == "AZE") == true && e.Participants.Any(p => p.Country == "ISR")),
            timeline.RootElement.EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "event"));
        using var checks = JsonDocument.Parse(postgres["claimChecks"]);
        Assert.Contains(checks.RootElement.EnumerateArray(), c => c.GetProperty("verdict").GetString() != ClaimChecker.InsufficientData);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Contains_and_startswith_ignore_the_case_of_ascii_letters_only(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var scope = await store.Instance().BeginWriteAsync(CancellationToken.None))
        {
            foreach (var (id, title) in new[] { ("embassy", "Israel opens its Embassy in Baku"), ("ecole-upper", "ÉCOLE report"), ("ecole-lower", "école notes"), ("percent", "50% of oil_imports") })
            {
                await scope.Connection.ExecuteAsync(
                    "INSERT INTO source (id, type, title, reliability, created_at, updated_at, version) VALUES (@id, 'report', @title, 'high', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)",
                    new { id, title }, scope.Transaction);
            }
            await scope.CommitAsync(CancellationToken.None);
        }

        async Task<string[]> Matching(string filter)
        {
            var conditions = new SqlConditions();
            var where = new FilterCompiler(SourceSql.Query, conditions, new Countries.CountryCatalog()).Compile(FilterParser.Parse(filter));
            await using var connection = await store.Instance().OpenAsync(CancellationToken.None);
            return [.. await connection.QueryAsync<string>($"SELECT id FROM source WHERE {where} ORDER BY id", conditions.Parameters)];
        }

        Assert.Equal(["embassy"], await Matching("contains(title, 'EMBASSY IN baku')"));
        Assert.Equal(["embassy"], await Matching("startswith(title, 'isRAEL')"));
        Assert.Equal(["ecole-lower"], await Matching("startswith(title, 'école')"));
        Assert.Equal(["ecole-upper"], await Matching("startswith(title, 'ÉCOLE')"));
        Assert.Equal(["percent"], await Matching("contains(title, '50% OF OIL_')"));
        Assert.Empty(await Matching("contains(title, '50%_of')"));
    }

    /// <summary>The source the trade rows name (before <see cref="TradeRows"/>: static fields initialise in order).</summary>
    private static readonly string SeededSource = Seed<SourceWrite>("sources")[0].Id!;

    private static readonly TradeRecordWrite[] TradeRows =
    [
        Trade("AZE", "ISR", 2022, null, "X", "TOTAL", 5000m, 3000m, "FOB"),
        Trade("AZE", "ISR", 2022, null, "X", "27", 1000.5m, 2000.25m, "FOB"),
        Trade("AZE", "ISR", 2022, null, "X", "2709", 900m, 1900m, "FOB"),
        Trade("ISR", "AZE", 2022, null, "M", "27", 1100m, 2100.5m, "CIF"),
        Trade("ISR", "AZE", 2022, null, "M", "TOTAL", 5500m, null, "CIF"),
        Trade("AZE", "ITA", 2022, null, "X", "27", 3000m, 6000m, "FOB"),
        Trade("AZE", "WLD", 2022, null, "X", "27", 8000m, 16000m, "FOB"),
        Trade("AZE", "ISR", 2023, 1, "X", "27", 100m, 200m, "FOB"),
        Trade("AZE", "ISR", 2023, 2, "X", "27", 200m, 400m, "FOB"),
        Trade("AZE", "ISR", 2023, 3, "X", "27", null, 300m, "FOB"),
        Trade("AZE", "ITA", 2023, null, "X", "27", 2500m, 5000m, "unknown"),
        Trade("AZE", "ISR", 2022, null, "M", "84", 300m, 10m, "CIF"),
        Trade("AZE", "ISR", 2022, null, "M", "TOTAL", 700m, 20m, "CIF"),
        Trade("ISR", "AZE", 2022, null, "X", "TOTAL", 650m, 19m, "FOB"),
        Trade("ISR", "AZE", 2022, null, "X", "84", 280m, 9m, "FOB"),
    ];

    /// <summary>The answers of the dyad, analytics and claim-check code on one store holding the seed and <see cref="TradeRows"/>, as JSON.</summary>
    private static async Task<Dictionary<string, string>> AnswersAsync(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var host = new StoreHost(store.Instance());
        await host.SeedAsync();
        var trade = host.Get<TradeRecordRepository>();
        foreach (var row in TradeRows)
        {
            Assert.Equal(WriteStatus.Created, (await trade.CreateAsync(row, CancellationToken.None)).Status);
        }

        var none = CancellationToken.None;
        var analytics = host.Get<TradeAnalyticsRepository>();
        var dyads = host.Get<DyadRepository>();
        var (aze, isr) = (new DyadCountry("AZE", "Azerbaijan"), new DyadCountry("ISR", "Israel"));
        var answers = new Dictionary<string, object>
        {
            ["dyad"] = await dyads.SummaryAsync(aze, isr, new DateOnly(2026, 1, 1), none),
            ["cooperationQuarters"] = await dyads.CooperationAsync(aze, isr, "quarter", null, null, directed: false, none),
            ["cooperationMonthsDirected"] = await dyads.CooperationAsync(isr, aze, "month", PartialDate.Parse("2010"), PartialDate.Parse("2024"), directed: true, none),
            ["balance"] = await analytics.BalanceAsync("AZE", "ISR", "TOTAL", (2020, 2024), none),
            ["partnerShare"] = await analytics.PartnerShareAsync("AZE", "ISR", "X", "27", (2022, 2023), "value", none),
            ["partnerShareWeight"] = await analytics.PartnerShareAsync("AZE", "ISR", "X", "27", (2022, 2023), "weight", none),
            ["partnerShareRows"] = await analytics.PartnerShareRowsAsync("AZE", "ISR", "X", "27", (2022, 2023), none),
            ["topPartners"] = await analytics.TopPartnersAsync("AZE", "X", "27", (2022, 2023), "value", 10, none),
            ["topPartnersWeight"] = await analytics.TopPartnersAsync("AZE", "X", "27", (2022, 2023), "weight", 10, none),
            ["topCommodities"] = await analytics.TopCommoditiesAsync("AZE", "ISR", "X", "chapter", (2022, 2022), "value", 10, none),
            ["topHeadings"] = await analytics.TopCommoditiesAsync("AZE", "ISR", "X", "heading", (2022, 2022), "weight", 10, none),
            ["mirror"] = await analytics.MirrorAsync("AZE", "ISR", "X", "27", (2022, 2023), none),
        };
        // The timeline's row set as the list executor wraps it: the union of milestones and events, in its default order.
        await using (var connection = await store.Instance().OpenAsync(none))
        {
            var timeline = await connection.QueryAsync<TimelineRow>(
                $"SELECT {DyadSql.TimelineColumns} FROM {DyadSql.TimelineRows} ORDER BY x.DateStart, x.PrecisionRank, x.Kind, x.Id, x.Seq", new { a = "AZE", b = "ISR" });
            answers["timeline"] = timeline.Select(r => r.ToItem()).ToList();
        }
        var checker = host.Get<ClaimChecker>();
        var claims = host.Get<ClaimRepository>();
        var checks = new List<ClaimCheckResponse>();
        foreach (var write in Seed<ClaimWrite>("claims"))
        {
            checks.Add(await checker.CheckAsync((await claims.GetAsync(write.Id!, none))!.ToResponse(), none));
        }
        answers["claimChecks"] = checks;
        return answers.ToDictionary(a => a.Key, a => JsonSerializer.Serialize(a.Value, a.Value.GetType(), JsonDefaults.Options));
    }

    private static TradeRecordWrite Trade(string reporter, string partner, int year, int? month, string flow, string hs, decimal? valueUsd, decimal? weight, string basis) =>
        new(reporter, partner, year, month, flow, hs, 0, valueUsd, weight, null, null, basis, false, SeededSource);

    private static List<T> Seed<T>(string name)
    {
        using var stream = EmbeddedData.Open($"Seed.{name}.json");
        return JsonSerializer.Deserialize<List<T>>(stream, JsonDefaults.Options)!;
    }

    private static Func<long?, Preconditions.Outcome> IfMatch(long? version) => StoreWritesTests.IfMatch(version);

    /// <summary>
    /// The app's services (validators, catalogs, repositories) with <paramref name="connections"/> as the store: an
    /// unseeded SQLite app whose <see cref="IStoreConnections"/> and <see cref="IReadConnections"/> are replaced, so every repository on the seam uses the
    /// store under test (the catalogs hold the same reference data on both stores).
    /// </summary>
    private sealed class StoreHost(IStoreConnections connections) : IAsyncDisposable
    {
        private readonly ApiFactory _app = new();
        private WebApplicationFactory<Program>? _host;

        private IServiceProvider Services => (_host ??= _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(connections).AddSingleton<IReadConnections>(new ReadConnections(connections))))).Services;

        public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

        /// <summary>Loads the seed dataset in one write, as the first start does.</summary>
        public async Task<string> SeedAsync()
        {
            await using var scope = await connections.BeginWriteAsync(CancellationToken.None);
            var counts = await Get<SeedLoader>().LoadAsync(scope, CancellationToken.None);
            await scope.CommitAsync(CancellationToken.None);
            return counts;
        }

        public async ValueTask DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
            await _app.DisposeAsync();
        }
    }
}

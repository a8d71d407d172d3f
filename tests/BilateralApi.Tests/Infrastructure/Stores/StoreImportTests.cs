using System.Text;
using System.Text.Json;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Postgres;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Import;
using BilateralApi.Tests.Infrastructure.Postgres;
using BilateralApi.TradeRecords;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>
/// The trade import's store half (<see cref="ITradeImportStore"/>) under the shared importer, on each store: the same
/// file gives the same report, ids, versions, change-log entry and attribution rows on SQLite and on PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreImportTests(ApiFactory catalogs) : IClassFixture<ApiFactory>
{
    private const string Header = "reporterISO,partnerISO,period,flowCode,cmdCode,motCode,primaryValue,netWgt,qty,qtyUnitAbbr";

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Each_mode_gives_the_same_outcomes_ids_versions_and_change_entry_on_each_store(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var (connections, importer) = await ArrangeAsync(store);

        // A key listed twice in one file meets its first row: rejected in insert mode, naming the row stored just before.
        var first = await ImportAsync(importer, ImportMode.Insert, atomic: false, Csv(
            "ISR,TUR,202001,X,01,0,10.25,1,,",
            "ISR,TUR,202002,X,01,0,11.50,,,",
            "ISR,TUR,202001,X,01,0,99.00,1,,",
            "XXX,TUR,202001,X,01,0,1.00,1,,",
            "ISR,ITA,2020,X,10,0,5.00,2.5,3,kg"));
        Assert.Equal((5L, 3L, 2L, true), (first.Rows, first.Inserted, first.Rejected, first.Committed));
        Assert.Equal(["1:inserted:1", "2:inserted:2", "3:rejected:", "4:rejected:", "5:inserted:3"], Outcomes(first));
        Assert.Contains("already exists: id 1", Rejection(first, 3));
        Assert.Contains("reporter", Rejection(first, 4), StringComparison.OrdinalIgnoreCase);

        // upsert: identical (unchanged), changed (version 2), new (id 4), and the new row again with other values (its version 2, same import).
        var second = await ImportAsync(importer, ImportMode.Upsert, atomic: true, Csv(
            "ISR,TUR,202001,X,01,0,10.25,1,,",
            "ISR,TUR,202002,X,01,0,12.50,,,",
            "RUS,ITA,2021,X,27,0,7.00,,,",
            "RUS,ITA,2021,X,27,0,8.00,,,"));
        Assert.Equal((4L, 1L, 2L, 1L, true), (second.Rows, second.Inserted, second.Updated, second.Unchanged, second.Committed));

        // skip-existing keeps the stored row and names it.
        var third = await ImportAsync(importer, ImportMode.SkipExisting, atomic: false, Csv("ISR,TUR,202002,X,01,0,1.00,,,", "ITA,ISR,2019,X,30,0,3.00,,,"));
        Assert.Equal(["1:skipped:2", "2:inserted:5"], Outcomes(third));

        // A dry run and an atomic import with a rejected row store nothing and are no change.
        var dry = await ImportAsync(importer, ImportMode.Insert, atomic: true, Csv("TUR,ISR,2019,X,30,0,3.00,,,"), dryRun: true);
        var refused = await ImportAsync(importer, ImportMode.Insert, atomic: true, Csv("TUR,ISR,2019,X,30,0,3.00,,,", "XXX,ISR,2019,X,30,0,3.00,,,"));
        Assert.Equal((1L, false, null), (dry.Inserted, dry.Committed, dry.ChangeSeq));
        Assert.Equal((1L, false, null), (refused.Inserted, refused.Committed, refused.ChangeSeq));

        await using var connection = await connections.OpenAsync(CancellationToken.None);
        var rows = (await connection.QueryAsync<(long Id, long Version, long? Cents, double? Weight, double? Quantity, string? Unit)>(
            "SELECT id, version, value_usd_cents, net_weight_kg, quantity, quantity_unit FROM trade_record ORDER BY id")).ToList();
        Assert.Equal([(1L, 1L, 1025L, 1.0, null, null), (2, 2, 1250, null, null, null), (3, 1, 500, 2.5, 3.0, "kg"), (4, 2, 800, null, null, null), (5, 1, 300, null, null, null)], rows);

        var entries = (await connection.QueryAsync<(long Seq, string RecordId, string Data)>(
            "SELECT seq, record_id, data FROM change_log WHERE action = 'import' ORDER BY seq")).ToList();
        Assert.Equal([first.ChangeSeq!.Value, second.ChangeSeq!.Value, third.ChangeSeq!.Value], entries.Select(e => e.Seq));
        Assert.Equal(ChangeLog.ImportId(second.ChangeSeq.Value), entries[1].RecordId);
        Assert.Equal(("[[1,3]]", "[]"), Ranges(entries[0].Data));
        Assert.Equal(("[[4,4]]", "[[2,2],[4,4]]"), Ranges(entries[1].Data));
        Assert.Equal(("[[5,5]]", "[]"), Ranges(entries[2].Data));

        var ranges = await connection.QueryAsync<(long Seq, long First, long Last)>("SELECT import_seq, first_id, last_id FROM trade_import_range ORDER BY import_seq, first_id");
        Assert.Equal([(first.ChangeSeq.Value, 1L, 3L), (second.ChangeSeq.Value, 4, 4), (third.ChangeSeq.Value, 5, 5)], ranges);
        var versions = await connection.QueryAsync<(long Seq, long Id, long Version, long Created)>("SELECT import_seq, record_id, version, created FROM trade_record_import ORDER BY record_id, version");
        Assert.Equal([(second.ChangeSeq.Value, 2L, 2L, 0L), (second.ChangeSeq.Value, 4, 2, 0)], versions);

        // A row the table numbers itself (a single create) comes after the import's: PostgreSQL's identity sequence was moved past them.
        Assert.Equal(6L, await connection.ExecuteScalarAsync<long>("""
            INSERT INTO trade_record (reporter, partner, year, flow, hs, value_basis, source_id, created_at, updated_at, version)
            VALUES ('ITA', 'TUR', 2001, 'X', '01', 'unknown', 's1', 'now', 'now', 1) RETURNING id
            """));
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_file_of_many_batches_with_keys_repeated_across_and_within_them_counts_every_row_in_order(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var (connections, importer) = await ArrangeAsync(store);
        // More rows than one PostgreSQL batch, every 7th row repeating the key of the row 5 before it (sometimes in the batch before).
        var lines = new List<string>();
        string[] partners = ["TUR", "ITA", "RUS"];
        for (var n = 0; n < PostgresTradeImportStore.BatchRows + 500; n++)
        {
            var key = n % 7 == 6 ? n - 5 : n;
            lines.Add($"ISR,{partners[key / 4320]},{1990 + key / 144 % 30}{key / 12 % 12 + 1:00},X,{10 + key % 12 * 7:00},0,{n}.00,,,");
        }

        var report = await ImportAsync(importer, ImportMode.Upsert, atomic: false, Csv([.. lines]));

        var repeats = lines.Count / 7;
        Assert.Equal((lines.Count, lines.Count - repeats, repeats, true), (report.Rows, report.Inserted, report.Updated, report.Committed));
        // Ids follow the file's first sightings, consecutively; a repeat names the id of the row it repeats.
        var ids = new Dictionary<int, long>();
        var listed = report.Results!.ToList();
        for (var n = 0; n < listed.Count; n++)
        {
            var key = n % 7 == 6 ? n - 5 : n;
            var expected = n % 7 == 6 ? ("updated", ids[key]) : ("inserted", ids[key] = ids.Count + 1);
            Assert.Equal(expected, (listed[n].Outcome, long.Parse(listed[n].Id!, System.Globalization.CultureInfo.InvariantCulture)));
        }
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        Assert.Equal((long)(lines.Count - repeats), await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM trade_record WHERE version = 1 OR version = 2"));
        Assert.Equal((long)repeats, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM trade_record_import"));
        Assert.Equal((1L, (long)(lines.Count - repeats)), await connection.QuerySingleAsync<(long, long)>("SELECT first_id, last_id FROM trade_import_range"));
    }

    /// <summary>A connection factory on the store, its source s1, and the importer on it.</summary>
    private async Task<(IStoreConnections, TradeRecordImporter)> ArrangeAsync(TestStore store)
    {
        var connections = store.Instance();
        await InsertSourceAsync(connections, "s1");
        return (connections, Importer(connections));
    }

    private TradeRecordImporter Importer(IStoreConnections connections)
    {
        var services = catalogs.Services;
        var changes = new ChangeLog(new HttpContextAccessor(), TimeProvider.System);
        ITradeImportStore store = connections switch
        {
            PostgresConnections postgres => new PostgresTradeImportStore(postgres, changes),
            SqliteConnectionFactory sqlite => new SqliteTradeImportStore(sqlite, changes, Options.Create(new DatabaseOptions { Path = sqlite.DatabasePath })),
            _ => throw new ArgumentOutOfRangeException(nameof(connections)),
        };
        return new TradeRecordImporter(store, services.GetRequiredService<CountryCatalog>(), services.GetRequiredService<CodeListCatalog>(),
            services.GetRequiredService<CommodityCatalog>(), TimeProvider.System);
    }

    private static Task<ImportReport> ImportAsync(TradeRecordImporter importer, ImportMode mode, bool atomic, string csv, bool dryRun = false) =>
        importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), ImportFormat.Csv, new ImportOptions(mode, atomic, dryRun, "s1"), null, CancellationToken.None);

    private static string Csv(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    private static List<string> Outcomes(ImportReport report) => report.Results!.Select(r => $"{r.Row}:{r.Outcome}:{r.Id}").ToList();

    private static string Rejection(ImportReport report, long row) => string.Join(" ", report.RejectedRows.Single(r => r.Row == row).Errors.Select(e => e.Field + " " + e.Message));

    private static (string Created, string Updated) Ranges(string data)
    {
        var json = JsonDocument.Parse(data).RootElement;
        return (json.GetProperty("createdIds").GetRawText(), json.GetProperty("updatedIds").GetRawText());
    }

    private static async Task InsertSourceAsync(IStoreConnections connections, string id)
    {
        await using var scope = await connections.BeginWriteAsync(CancellationToken.None);
        await scope.Connection.ExecuteAsync(
            "INSERT INTO source (id, type, reliability, created_at, updated_at, version) VALUES (@id, 'report', 'high', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)",
            new { id }, scope.Transaction);
        await scope.CommitAsync(CancellationToken.None);
    }
}

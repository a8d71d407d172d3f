using System.Net;
using System.Text;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;
using BilateralApi.Infrastructure.Import;
using BilateralApi.TradeRecords;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.TradeRecords;

/// <summary>
/// POST /v1/trade-records/import. Tests share one database; each uses a source of its own and a
/// reporter no other test uses, so natural keys never collide across tests.
/// </summary>
public sealed class TradeRecordImportTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Url = "/v1/trade-records/import";
    private const string Header = "reporterISO,partnerISO,period,flowCode,cmdCode,motCode,primaryValue,netWgt,qty,qtyUnitAbbr";

    private readonly HttpClient _client = factory.CreateWriterClient();

    private async Task<string> SourceAsync(string id)
    {
        await _client.EnsureSourceAsync(id);
        return id;
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static StringContent Ndjson(string text) => new(text, Encoding.UTF8, "application/x-ndjson");

    /// <summary><paramref name="count"/> distinct valid rows of <paramref name="reporter"/> in the plain Comtrade columns.</summary>
    private static IEnumerable<string> Rows(string reporter, int count)
    {
        string[] partners = ["ISR", "TUR", "RUS", "ITA"];
        string[] chapters = ["01", "10", "27", "30", "52", "61", "72", "84", "85", "93"];
        var n = 0;
        foreach (var partner in partners)
        {
            foreach (var hs in chapters)
            {
                for (var year = 1950; year < 2000; year++)
                {
                    for (var month = 1; month <= 12; month++)
                    {
                        if (n++ == count)
                        {
                            yield break;
                        }
                        yield return $"{reporter},{partner},{year}{month:00},X,{hs},0,{n * 10}.25,{n},,";
                    }
                }
            }
        }
    }

    private long Count(string sourceId) => Task.Run(async () =>
    {
        await using var connection = await factory.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM trade_record WHERE source_id = @sourceId", new { sourceId });
    }).GetAwaiter().GetResult();

    private async Task<JsonElement> ImportOkAsync(string query, HttpContent content, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _client.PostAsync($"{Url}?{query}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement Rejection(JsonElement report, int row) =>
        report.GetProperty("rejectedRows").EnumerateArray().Single(r => r.GetProperty("row").GetInt64() == row);

    /// <summary>The feed's import entries of <paramref name="source"/>.</summary>
    private async Task<List<JsonElement>> ImportEntriesAsync(string source)
    {
        var entries = new List<JsonElement>();
        string? next = "/v1/changes?resource=trade-records&limit=500";
        while (next is not null)
        {
            var page = await _client.GetJsonAsync(next);
            entries.AddRange(page.GetProperty("items").EnumerateArray().Where(c => c.GetProperty("data").ValueKind == JsonValueKind.Object
                && c.GetProperty("data").TryGetProperty("sourceId", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == source));
            next = page.GetProperty("page").TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }
        return entries;
    }

    private static List<long> Ids(JsonElement ranges) =>
        ranges.EnumerateArray().SelectMany(r => Enumerable.Range(0, (int)(r[1].GetInt64() - r[0].GetInt64() + 1)).Select(i => r[0].GetInt64() + i)).ToList();

    [Fact]
    public async Task An_import_is_one_change_that_says_which_rows_it_wrote_and_moves_the_list_etag()
    {
        var source = await SourceAsync("import-change-feed");
        var before = await _client.GetAsync("/v1/trade-records?limit=1");
        var etag = before.Headers.ETag!;
        var content = Csv(Header + "\n" + string.Join("\n", Rows("MNG", 30)));
        content.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = "\"mongolia-2025.csv\"" };

        var report = await ImportOkAsync($"sourceId={source}", content);
        Assert.Equal(30, report.GetProperty("inserted").GetInt64());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/trade-records?limit=1");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(conditional)).StatusCode);

        // One entry for the 30 rows, not one per row: the import as a release.
        var entry = Assert.Single(await ImportEntriesAsync(source));
        Assert.Equal("import", entry.GetProperty("action").GetString());
        Assert.Equal(report.GetProperty("changeSeq").GetInt64(), entry.GetProperty("seq").GetInt64());
        Assert.Equal($"import-{entry.GetProperty("seq").GetInt64()}", entry.GetProperty("id").GetString());
        var data = entry.GetProperty("data");
        Assert.Equal("mongolia-2025.csv", data.GetProperty("fileName").GetString());
        Assert.Equal("comtrade", data.GetProperty("format").GetString());
        Assert.Equal(30, data.GetProperty("rows").GetInt64());
        Assert.Equal(30, data.GetProperty("inserted").GetInt64());
        Assert.Empty(data.GetProperty("updatedIds").EnumerateArray());
        // The created ranges are exactly the stored rows of the import.
        var stored = (await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&limit=100")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("id").GetInt64()).Order().ToList();
        Assert.Equal(stored, Ids(data.GetProperty("createdIds")));
        await using (var connection = await factory.OpenConnectionAsync())
        {
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM change_log WHERE resource = 'trade-records' AND record_id IN (" + string.Join(",", stored.Select(i => $"'{i}'")) + ")"));
            // The 30 new rows are attributed by one id range, not by a row each (decision 0037).
            var seq = entry.GetProperty("seq").GetInt64();
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM trade_record_import WHERE import_seq = @seq", new { seq }));
            Assert.Equal((stored[0], stored[^1]), await connection.QuerySingleAsync<(long, long)>("SELECT first_id, last_id FROM trade_import_range WHERE import_seq = @seq", new { seq }));
        }
    }

    [Fact]
    public async Task A_rows_history_names_the_import_that_wrote_each_version()
    {
        var source = await SourceAsync("import-history");
        var first = await ImportOkAsync($"sourceId={source}", Csv(Header + "\nMDA,ISR,2020,X,27,0,100.25,5,,\nMDA,ISR,2021,X,27,0,200.25,5,,"));
        var second = await ImportOkAsync($"sourceId={source}&mode=upsert", Csv(Header + "\nMDA,ISR,2020,X,27,0,150.25,5,,\nMDA,ISR,2021,X,27,0,200.25,5,,"));
        Assert.Equal(1, second.GetProperty("updated").GetInt64());
        Assert.Equal(1, second.GetProperty("unchanged").GetInt64());
        var firstImport = $"import-{first.GetProperty("changeSeq").GetInt64()}";
        var secondImport = $"import-{second.GetProperty("changeSeq").GetInt64()}";

        var records = (await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&sort=year")).GetProperty("items").EnumerateArray().ToList();
        var changed = records[0].GetProperty("id").GetInt64();
        Assert.Equal(2, records[0].GetProperty("version").GetInt64());
        var history = (await _client.GetJsonAsync($"/v1/trade-records/{changed}/history")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["create", "update"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal([1L, 2L], history.Select(h => h.GetProperty("version").GetInt64()));
        Assert.Equal([firstImport, secondImport], history.Select(h => h.GetProperty("import").GetString()));
        Assert.All(history, h => Assert.Equal(changed.ToString(System.Globalization.CultureInfo.InvariantCulture), h.GetProperty("id").GetString()));

        // The unchanged row's history has only its creation; the second import's entry lists only the changed row.
        var unchanged = records[1].GetProperty("id").GetInt64();
        var single = Assert.Single((await _client.GetJsonAsync($"/v1/trade-records/{unchanged}/history")).GetProperty("items").EnumerateArray());
        Assert.Equal(firstImport, single.GetProperty("import").GetString());
        var entry = (await ImportEntriesAsync(source)).Single(e => e.GetProperty("id").GetString() == secondImport);
        Assert.Equal([changed], Ids(entry.GetProperty("data").GetProperty("updatedIds")));
        Assert.Empty(entry.GetProperty("data").GetProperty("createdIds").EnumerateArray());

        // A single write after the imports is an ordinary change with the record's data.
        var stored = await _client.GetAsync($"/v1/trade-records/{changed}");
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/trade-records/{changed}") { Content = new StringContent("{\"valueUsd\": 175}", Encoding.UTF8, "application/merge-patch+json") };
        patch.Headers.IfMatch.Add(stored.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(patch)).StatusCode);
        var after = (await _client.GetJsonAsync($"/v1/trade-records/{changed}/history")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([1L, 2L, 3L], after.Select(h => h.GetProperty("version").GetInt64()));
        Assert.False(after[2].TryGetProperty("import", out _));
        Assert.Equal(175m, after[2].GetProperty("data").GetProperty("valueUsd").GetDecimal());
    }

    [Fact]
    public async Task An_import_that_stores_nothing_is_no_change()
    {
        var source = await SourceAsync("import-no-change");
        await ImportOkAsync($"sourceId={source}", Csv(Header + "\nMNE,ISR,2020,X,27,0,100.25,5,,"));
        var again = await ImportOkAsync($"sourceId={source}&mode=upsert", Csv(Header + "\nMNE,ISR,2020,X,27,0,100.25,5,,"));
        Assert.Equal(1, again.GetProperty("unchanged").GetInt64());
        Assert.False(again.TryGetProperty("changeSeq", out _));
        Assert.Single(await ImportEntriesAsync(source));
    }

    [Fact]
    public async Task Comtrade_csv_with_M49_codes_and_extra_columns_loads_unedited()
    {
        var source = await SourceAsync("import-comtrade-m49");
        // As saved from Comtrade: BOM, extra columns, M49 codes next to ISO ones (W00 = World, 842 = USA),
        // monthly periods, N/A quantity units, sub-cent values, quoted descriptions with commas.
        var csv = "\uFEFFtypeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,classificationCode,cmdCode,cmdDesc,aggrLevel,customsCode,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,netWgt,grossWgt,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate\r\n" +
            "C,M,20230101,2023,1,202301,31,,Azerbaijan,X,Export,376,,Israel,0,W00,H6,2709,\"Petroleum oils, crude\",4,C00,0,0,TOF,8,kg,1000,false,523500000,0,,297000000.004,297000000.004,0,true,false\r\n" +
            "C,M,20230101,2023,1,202301,842,USA,\"USA, incl. PR and VI\",M,Import,0,W00,World,0,W00,H6,TOTAL,All Commodities,0,C00,0,0,TOF,-1,N/A,0,false,,,1500.5,,1500.5,0,true,true\r\n";
        var report = await ImportOkAsync($"sourceId={source}", Csv(csv));
        Assert.Equal(2, report.GetProperty("inserted").GetInt64());
        Assert.True(report.GetProperty("committed").GetBoolean());

        var page = await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        var aze = items.Single(i => i.GetProperty("reporter").GetString() == "AZE");
        Assert.Equal("ISR", aze.GetProperty("partner").GetString());
        Assert.Equal(2023, aze.GetProperty("year").GetInt32());
        Assert.Equal(1, aze.GetProperty("month").GetInt32());
        Assert.Equal(297000000m, aze.GetProperty("valueUsd").GetDecimal());
        Assert.Equal("FOB", aze.GetProperty("valueBasis").GetString());
        Assert.Equal(1000m, aze.GetProperty("quantity").GetDecimal());
        var usa = items.Single(i => i.GetProperty("reporter").GetString() == "USA");
        Assert.Equal("WLD", usa.GetProperty("partner").GetString());
        Assert.Equal(JsonValueKind.Null, usa.GetProperty("quantity").ValueKind);
        Assert.Equal(JsonValueKind.Null, usa.GetProperty("quantityUnit").ValueKind);
        Assert.Equal(JsonValueKind.Null, usa.GetProperty("netWeightKg").ValueKind);
        Assert.Equal("CIF", usa.GetProperty("valueBasis").GetString());
    }

    [Fact]
    public async Task Quoting_edge_cases_and_tab_separated_files_are_read()
    {
        var source = await SourceAsync("import-quoting");
        var csv = "\"reporterISO\",partnerISO,period,flowCode,cmdCode,primaryValue,note\n" +
            "\"GEO\",\"ISR\",\"2021\",X,\"2709\",\"1000\",\"a \"\"quoted\"\" note, with a comma\"\n" +
            "GEO,TUR,2021,X,2709,2000,\"a note\nover two lines\"\n" +
            "GEO,RUS,2021,X,27091,3000,plain\n";
        var report = await ImportOkAsync($"sourceId={source}&atomic=false", Csv(csv), HttpStatusCode.MultiStatus);
        Assert.Equal(2, report.GetProperty("inserted").GetInt64());
        // The third data row starts on line 5: the quoted line break of row 2 counts.
        var rejected = Rejection(report, 3);
        Assert.Equal(5, rejected.GetProperty("line").GetInt64());
        Assert.Equal("hs", rejected.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("cmdCode", rejected.GetProperty("errors")[0].GetProperty("column").GetString());

        var tsv = "reporterISO\tpartnerISO\tperiod\tflowCode\tcmdCode\tprimaryValue\nGEO\tITA\t2021\tM\t10\t12.5\n";
        var tabs = await ImportOkAsync($"sourceId={source}", new StringContent(tsv, Encoding.UTF8, "text/tab-separated-values"));
        Assert.Equal(1, tabs.GetProperty("inserted").GetInt64());
        Assert.Equal(3, Count(source));
    }

    [Fact]
    public async Task Every_rejection_reason_names_line_column_and_reason()
    {
        var source = await SourceAsync("import-reasons");
        await _client.EnsureSourceAsync("import-reasons-existing");
        var existing = await ImportOkAsync($"sourceId=import-reasons-existing", Csv($"{Header}\nARM,ISR,2020,X,27,0,5,,,\n"));
        Assert.Equal(1, existing.GetProperty("inserted").GetInt64());

        var csv = "reporterISO,partnerISO,period,flowCode,cmdCode,motCode,primaryValue,netWgt,qty,qtyUnitAbbr,estimated,sourceId,partner2Code,customsCode\n" +
            "ARM,ISR,2021,X,27,0,10,,,,,,0,C00\n" +                      // row 1 valid
            "XXX,ISR,2021,X,27,0,10,,,,,,0,C00\n" +                      // 2 unknown country
            "WLD,ISR,2021,X,27,0,10,,,,,,0,C00\n" +                      // 3 WLD as reporter
            "ARM,ARM,2021,X,27,0,10,,,,,,0,C00\n" +                      // 4 partner = reporter
            "ARM,ISR,21,X,27,0,10,,,,,,0,C00\n" +                        // 5 malformed period
            "ARM,ISR,1850,X,27,0,10,,,,,,0,C00\n" +                      // 6 year out of range
            "ARM,ISR,202113,X,27,0,10,,,,,,0,C00\n" +                    // 7 month out of range
            "ARM,ISR,2021,Q,27,0,10,,,,,,0,C00\n" +                      // 8 unknown flow
            "ARM,ISR,2021,X,00,0,10,,,,,,0,C00\n" +                      // 9 unknown HS chapter
            "ARM,ISR,2021,X,27,42,10,,,,,,0,C00\n" +                     // 10 unknown transport mode
            "ARM,ISR,2021,X,28,0,-1,,,,,,0,C00\n" +                      // 11 negative value
            "ARM,ISR,2021,X,29,0,1e17,,,,,,0,C00\n" +                    // 12 value too large
            "ARM,ISR,2021,X,30,0,ten,,,,,,0,C00\n" +                     // 13 not a number
            "ARM,ISR,2021,X,31,0,10,,5,,,,0,C00\n" +                     // 14 quantity without unit
            "ARM,ISR,2021,X,32,0,10,1234567890.123456,,,,,0,C00\n" +     // 15 weight beyond 15 digits
            "ARM,ISR,2021,X,33,0,10,,,,maybe,,0,C00\n" +                 // 16 bad boolean
            "ARM,ISR,2021,X,34,0,10,,,,,no-such-source,0,C00\n" +        // 17 unknown source
            "ARM,ISR,2021,X,35,0,10,,,,,,840,C00\n" +                    // 18 second-partner breakdown: skipped, not rejected
            "ARM,ISR,2021,X,36,0,10,,,,,,0,C01\n" +                      // 19 customs breakdown: skipped, not rejected
            "ARM,ISR,2021,X,37,0,10\n" +                                 // 20 too few columns
            "ARM,ISR,2021,X,27,0,10,,,,,,0,C00\n" +                      // 21 duplicate of row 1
            "ARM,ISR,2020,X,27,0,5,,,,,,0,C00\n" +                       // 22 key already stored
            "ARM,ISR,2021,X,38,0,10,,abc,kg,,,0,C00\n" +                 // 23 non-numeric quantity
            "ARM,ISR,2021,X,39,0,10,,,,,,0,C00\n";                       // 24 valid
        var report = await ImportOkAsync($"sourceId={source}&atomic=false", Csv(csv), HttpStatusCode.MultiStatus);
        Assert.Equal(24, report.GetProperty("rows").GetInt64());
        Assert.Equal(new long[] { 1, 24 }, report.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "inserted").Select(r => r.GetProperty("row").GetInt64()).ToArray());
        Assert.Equal(2, report.GetProperty("inserted").GetInt64());
        Assert.Equal(20, report.GetProperty("rejected").GetInt64());
        Assert.Equal("""{"customsProcedureBreakdown":1,"secondPartnerBreakdown":1}""", report.GetProperty("skippedByReason").GetRawText());
        Assert.Equal(new long[] { 18, 19 }, report.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "skipped").Select(r => r.GetProperty("row").GetInt64()).ToArray());

        void Expect(int row, string field, string? column, string fragment)
        {
            var rejection = Rejection(report, row);
            Assert.Equal(row + 1, rejection.GetProperty("line").GetInt64());
            var errors = rejection.GetProperty("errors").EnumerateArray().ToList();
            Assert.Contains(errors, e => e.GetProperty("field").GetString() == field
                && (column is null || e.GetProperty("column").GetString() == column)
                && e.GetProperty("message").GetString()!.Contains(fragment, StringComparison.Ordinal));
        }

        Expect(2, "reporter", "reporterISO", "not a known country");
        Expect(3, "reporter", "reporterISO", "only be a partner");
        Expect(4, "partner", "partnerISO", "must differ");
        Expect(5, "year", "period", "not a period");
        Expect(6, "year", "period", "from 1900");
        Expect(7, "month", "period", "from 1 to 12");
        Expect(8, "flow", "flowCode", "not a tradeFlow code");
        Expect(9, "hs", "cmdCode", "not a usable HS code");
        Expect(10, "transportMode", "motCode", "not a transportMode code");
        Expect(11, "valueUsd", "primaryValue", "must be from 0");
        Expect(12, "valueUsd", "primaryValue", "must be from 0");
        Expect(13, "valueUsd", "primaryValue", "not a number");
        Expect(14, "quantityUnit", "qtyUnitAbbr", "required when 'quantity'");
        Expect(15, "netWeightKg", "netWgt", "15 significant digits");
        Expect(16, "estimated", "estimated", "not a boolean");
        Expect(17, "sourceId", "sourceId", "No source has the id 'no-such-source'");
        Expect(20, "$", null, "columns");
        Expect(21, "$", null, "already exists");
        Expect(22, "$", null, "already exists");
        Expect(23, "quantity", "qty", "not a number");
        Assert.Equal(2, Count(source));
    }

    [Fact]
    public async Task Json_rows_are_rejected_for_the_same_reasons_as_single_writes()
    {
        var source = await SourceAsync("import-json-reasons");
        var ndjson =
            $$"""{"reporter":"BLR","partner":"ISR","year":2021,"month":null,"flow":"X","hs":"27","transportMode":0,"valueUsd":1.5,"netWeightKg":null,"quantity":null,"quantityUnit":null,"valueBasis":"FOB","estimated":false,"sourceId":null}""" + "\n" +
            """{"reporter":"BLR","partner":"ISR","year":2021,"flow":"X","hs":"28","color":"red"}""" + "\n" +
            "\n" +
            """{"reporter":"BLR","partner":"ISR","year":"2021","flow":"X","hs":"29"}""" + "\n" +
            "[1,2]\n" +
            "{\"reporter\":\n" +
            """{"reporter":"BLR","partner":"ISR","year":2021,"flow":"X","hs":"30","valueUsd":1.005}""" + "\n";
        var report = await ImportOkAsync($"sourceId={source}&atomic=false", Ndjson(ndjson), HttpStatusCode.MultiStatus);
        Assert.Equal(1, report.GetProperty("inserted").GetInt64());
        Assert.Equal(5, report.GetProperty("rejected").GetInt64());
        Assert.Equal("color", Rejection(report, 2).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(4, Rejection(report, 3).GetProperty("line").GetInt64());
        Assert.Equal("year", Rejection(report, 3).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Contains("one JSON object", Rejection(report, 4).GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, Rejection(report, 5).GetProperty("line").GetInt64());
        Assert.Equal("valueUsd", Rejection(report, 6).GetProperty("errors")[0].GetProperty("field").GetString());

        var array = "[" + """{"reporter":"BLR","partner":"TUR","year":2021,"flow":"M","hs":"10","sourceId":"import-json-reasons"}""" + ","
            + """{"reporter":"BLR","partner":"TUR","year":2021,"flow":"M","hs":"11","unknown":1}""" + "]";
        var fromArray = await ImportOkAsync("atomic=false", Json.Body(array), HttpStatusCode.MultiStatus);
        Assert.Equal(1, fromArray.GetProperty("inserted").GetInt64());
        Assert.Equal("unknown", Rejection(fromArray, 2).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(JsonValueKind.Null, Rejection(fromArray, 2).GetProperty("line").ValueKind);
        Assert.Equal(2, Count(source));
    }

    [Fact]
    public async Task Atomic_import_with_a_bad_row_at_the_end_of_a_large_file_stores_nothing()
    {
        var source = await SourceAsync("import-atomic");
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var row in Rows("KAZ", 20_000))
        {
            csv.Append(row).Append('\n');
        }
        csv.Append("KAZ,ISR,2020,X,2709,0,not-a-number,,,\n");
        var response = await _client.PostAsync($"{Url}?sourceId={source}", Csv(csv.ToString()));
        var problem = await response.AssertProblemAsync(422, "importRejected");
        var report = problem.GetProperty("report");
        Assert.Equal(20_001, report.GetProperty("rows").GetInt64());
        Assert.Equal(1, report.GetProperty("rejected").GetInt64());
        Assert.False(report.GetProperty("committed").GetBoolean());
        Assert.Equal(20_002, Rejection(report, 20_001).GetProperty("line").GetInt64());
        Assert.Equal(0, Count(source));
    }

    [Fact]
    public async Task Dry_run_counts_everything_and_writes_nothing()
    {
        var source = await SourceAsync("import-dry-run");
        var csv = Header + "\n" + string.Join('\n', Rows("UZB", 500)) + "\n";
        var report = await ImportOkAsync($"sourceId={source}&dryRun=true", Csv(csv));
        Assert.Equal(500, report.GetProperty("inserted").GetInt64());
        Assert.True(report.GetProperty("dryRun").GetBoolean());
        Assert.False(report.GetProperty("committed").GetBoolean());
        Assert.Equal(0, Count(source));
    }

    [Fact]
    public async Task Upsert_changes_only_rows_that_differ_and_bumps_only_their_versions()
    {
        var source = await SourceAsync("import-upsert");
        var first = $"{Header}\nTKM,ISR,2020,X,27,0,100,,,\nTKM,ISR,2021,X,27,0,200,,,\n";
        Assert.Equal(2, (await ImportOkAsync($"sourceId={source}", Csv(first))).GetProperty("inserted").GetInt64());

        var second = $"{Header}\nTKM,ISR,2020,X,27,0,100,,,\nTKM,ISR,2021,X,27,0,250,,,\nTKM,ISR,2022,X,27,0,300,,,\n";
        var report = await ImportOkAsync($"sourceId={source}&mode=upsert&atomic=false", Csv(second), HttpStatusCode.MultiStatus);
        Assert.Equal(1, report.GetProperty("inserted").GetInt64());
        Assert.Equal(1, report.GetProperty("updated").GetInt64());
        Assert.Equal(1, report.GetProperty("unchanged").GetInt64());
        var outcomes = report.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()!).ToArray();
        Assert.Equal(new[] { "unchanged", "updated", "inserted" }, outcomes);

        var items = (await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}")).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("year").GetInt32());
        Assert.Equal(1, items[2020].GetProperty("version").GetInt64());
        Assert.Equal(2, items[2021].GetProperty("version").GetInt64());
        Assert.Equal(250m, items[2021].GetProperty("valueUsd").GetDecimal());
        Assert.Equal(1, items[2022].GetProperty("version").GetInt64());
        Assert.Equal(items[2020].GetProperty("createdAt").GetString(), items[2020].GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Skip_existing_keeps_stored_rows_and_insert_mode_rejects_them()
    {
        var source = await SourceAsync("import-skip");
        Assert.Equal(1, (await ImportOkAsync($"sourceId={source}", Csv($"{Header}\nKGZ,ISR,2020,X,27,0,100,,,\n"))).GetProperty("inserted").GetInt64());

        var again = $"{Header}\nKGZ,ISR,2020,X,27,0,999,,,\nKGZ,ISR,2021,X,27,0,5,,,\n";
        var skipped = await ImportOkAsync($"sourceId={source}&mode=skip-existing", Csv(again));
        Assert.Equal(1, skipped.GetProperty("skipped").GetInt64());
        Assert.Equal(1, skipped.GetProperty("inserted").GetInt64());
        var stored = (await _client.GetJsonAsync($"/v1/trade-records?sourceId={source}&year=2020")).GetProperty("items")[0];
        Assert.Equal(100m, stored.GetProperty("valueUsd").GetDecimal());
        Assert.Equal(1, stored.GetProperty("version").GetInt64());

        var response = await _client.PostAsync($"{Url}?sourceId={source}", Csv($"{Header}\nKGZ,ISR,2020,X,27,0,999,,,\n"));
        var problem = await response.AssertProblemAsync(422, "importRejected");
        Assert.Contains($"id {stored.GetProperty("id").GetInt64()}", problem.GetProperty("report").GetProperty("rejectedRows")[0].GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_atomic_import_answers_207_with_a_result_per_row()
    {
        var source = await SourceAsync("import-207");
        var csv = $"{Header}\nTJK,ISR,2020,X,27,0,1,,,\nTJK,ISR,2020,Z,27,0,1,,,\nTJK,ISR,2021,X,27,0,1,,,\n";
        var report = await ImportOkAsync($"sourceId={source}&atomic=false", Csv(csv), HttpStatusCode.MultiStatus);
        var results = report.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(new[] { "inserted", "rejected", "inserted" }, results.Select(r => r.GetProperty("outcome").GetString()!).ToArray());
        Assert.Equal([2L, 3L, 4L], results.Select(r => r.GetProperty("line").GetInt64()).ToArray());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("id").ValueKind);
        var id = results[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/v1/trade-records/{id}")).StatusCode);
        Assert.Equal(0, report.GetProperty("resultsNotListed").GetInt64());
        Assert.Equal(2, Count(source));
    }

    [Fact]
    public async Task Rejected_rows_beyond_the_first_hundred_are_counted()
    {
        var source = await SourceAsync("import-many-rejections");
        var csv = Header + "\n" + string.Concat(Enumerable.Range(0, 150).Select(i => $"MNG,ISR,{1950 + i % 50},Q,27,0,1,,,\n"));
        var response = await _client.PostAsync($"{Url}?sourceId={source}", Csv(csv));
        var report = (await response.AssertProblemAsync(422, "importRejected")).GetProperty("report");
        Assert.Equal(100, report.GetProperty("rejectedRows").GetArrayLength());
        Assert.Equal(50, report.GetProperty("rejectedNotListed").GetInt64());
    }

    [Fact]
    public async Task A_body_that_breaks_off_midway_leaves_nothing_half_written()
    {
        // The HTTP handler passes the request body stream to the importer; a client that goes away makes
        // reads of that stream throw, which is what this stream does after 90% of 24,000 rows.
        var source = await SourceAsync("import-interrupted");
        var text = Header + "\n" + string.Join('\n', Rows("AFG", 24_000)) + "\n";
        var body = new BreakingStream(Encoding.UTF8.GetBytes(text), breakAt: text.Length * 9 / 10);
        var importer = factory.Services.GetRequiredService<TradeRecordImporter>();
        long rowsWritten = 0;
        await Assert.ThrowsAsync<IOException>(() => importer.ImportAsync(body, ImportFormat.Csv,
            new ImportOptions(ImportMode.Insert, Atomic: false, DryRun: false, SourceId: source), p => rowsWritten = p.Rows, CancellationToken.None));
        Assert.True(rowsWritten >= TradeRecordImporter.ProgressEvery, "Rows should have been written before the body broke off.");
        Assert.Equal(0, Count(source));

        var after = await ImportOkAsync($"sourceId={source}", Csv($"{Header}\nAFG,ISR,2020,X,27,0,1,,,\n"));
        Assert.Equal(1, after.GetProperty("inserted").GetInt64());
        Assert.Equal(1, Count(source));
    }

    /// <summary>Serves bytes in small reads and fails like a dropped connection at <c>breakAt</c>.</summary>
    private sealed class BreakingStream(byte[] data, int breakAt) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= breakAt)
            {
                throw new IOException("The client reset the connection.");
            }
            var n = Math.Min(Math.Min(buffer.Length, 4096), breakAt - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Bad_content_type_and_bad_parameters_are_problems()
    {
        var source = await SourceAsync("import-bad-requests");
        var plain = await _client.PostAsync($"{Url}?sourceId={source}", new StringContent("x", Encoding.UTF8, "text/plain"));
        await plain.AssertProblemAsync(415, "unsupportedMediaType");

        var mode = await _client.PostAsync($"{Url}?sourceId={source}&mode=replace", Csv($"{Header}\n"));
        Assert.Contains("skip-existing", (await mode.AssertProblemAsync(400, "invalidParameter")).FieldErrors("mode")[0], StringComparison.Ordinal);

        var unknownSource = await _client.PostAsync($"{Url}?sourceId=no-such-source", Csv($"{Header}\n"));
        (await unknownSource.AssertProblemAsync(400, "invalidParameter")).FieldErrors("sourceId");

        var noSource = await _client.PostAsync(Url, Csv($"{Header}\n"));
        (await noSource.AssertProblemAsync(400, "invalidParameter")).FieldErrors("sourceId");

        var missingColumns = await _client.PostAsync($"{Url}?sourceId={source}", Csv("reporterISO,partnerISO,primaryValue\nAZE,ISR,1\n"));
        var problem = await missingColumns.AssertProblemAsync(400, "invalidImportBody");
        Assert.Contains("period", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var empty = await _client.PostAsync($"{Url}?sourceId={source}", Csv(""));
        await empty.AssertProblemAsync(400, "invalidImportBody");

        var brokenArray = await _client.PostAsync($"{Url}?sourceId={source}", Json.Body("[{\"reporter\":\"AZE\"}"));
        await brokenArray.AssertProblemAsync(400, "invalidJson");

        var unknownParameter = await _client.PostAsync($"{Url}?sourceId={source}&atomik=false", Csv($"{Header}\n"));
        await unknownParameter.AssertProblemAsync(400, "unknownParameter");
        Assert.Equal(0, Count(source));
    }
}

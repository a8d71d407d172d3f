using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Cli;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.TradeRecords;

/// <summary>Its own database for the files loaded through the CLI, so that they never meet the same files loaded through POST.</summary>
public sealed class CliImportFactory : ApiFactory;

/// <summary>
/// Real trade files load unedited, recognised from their content, through POST /v1/trade-records/import
/// and through `import trade-records FILE`: small files in Fixtures/ reproduce each quirk of Comtrade+
/// website exports and API answers, legacy Comtrade extracts and CEPII BACI. Stored values are read back
/// through GET /v1/trade-records and compared with what each file says. Each fixture has a source of
/// its own and years no other fixture uses.
/// </summary>
public sealed class TradeFileFormatTests(ApiFactory http, CliImportFactory cli) : IClassFixture<ApiFactory>, IClassFixture<CliImportFactory>
{
    private const string Url = "/v1/trade-records/import";

    /// <summary>reporter|partner|year|month|flow|hs|classification|origin|transportMode|valueUsd|netWeightKg|quantity|quantityUnit|valueBasis|estimated</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        // BOM, CRLF, every value quoted, trailing delimiter, refMonth 52, W00/0, empty ISO columns (numeric codes
        // 251 France, 699 India), isReported 1/0, numbers such as 1234567.0 and motCode 2100.0, reference areas
        // (S19 Other Asia nes, 899 Areas nes, 837 Bunkers); breakdown, services and sub-flow rows not stored.
        ["comtrade-plus-annual.csv"] =
        [
            "FRA|DEU|2019||X|2709|H5|reported|0|1234567|500|1000|kg|FOB|False",
            "FRA|X837|2019||X|2710|H5|reported|2100|3000||||unknown|False",
            "IND|S19|2019||X|8703|H5|reported|0|2500||||unknown|False",
            "IND|X899|2019||M|27|H5|reported|0|10||||unknown|False",
            "USA|WLD|2019||M|TOTAL|H5|reported|0|987654321.5||||CIF|True",
        ],
        // Windows-1252 (ô, ü in names; m³ as the quantity unit), LF, no BOM, monthly periods, booleans true/false.
        ["comtrade-plus-monthly-windows1252.csv"] =
        [
            "CIV|TUR|2018|12|M|TOTAL|H5|reported|0|99.5||||unknown|True",
            "CIV|TUR|2018|3|X|1801|H5|reported|0|4500.25|2000|3.5|m³|FOB|False",
        ],
        // The API's answer as saved: numbers as JSON numbers, booleans, nulls; a services record not stored.
        ["comtrade-api-answer.json"] =
        [
            "AZE|ISR|2017||X|2709|H5|reported|0|297000000.5|523500000|523500000|kg|FOB|False",
            "ISR|AZE|2017||M|27|H5|reported|0|310000000||||CIF|True",
        ],
        ["comtrade-api-answer-empty.json"] = [],
        // All 35 legacy columns, monthly, flow codes 1..4 with names, HS 2012 (H4), quantity unit codes.
        ["comtrade-legacy-monthly.csv"] =
        [
            "AZE|ISR|2015|6|M|2709|H4|reported|0|100|12|12|kg|unknown|False",
            "AZE|ISR|2015|6|RM|2712|H4|reported|0|400||5|u|unknown|False",
            "AZE|ISR|2015|6|RX|2711|H4|reported|0|300||||unknown|False",
            "AZE|ISR|2015|6|X|2710|H4|reported|0|200||||unknown|False",
        ],
        // A reduced legacy subset: flow names only, Comtrade codes 842 (USA) and 381 (Italy), SITC Rev. 3 codes.
        ["comtrade-legacy-sitc-subset.csv"] =
        [
            "USA|ITA|2014||M|0011|S3|reported|0|123.45||||unknown|False",
            "USA|ITA|2014||RX|TOTAL|S3|reported|0|7||||unknown|False",
            "USA|ITA|2014||X|334|S3|reported|0|5000000||||unknown|False",
        ],
        // BACI: v in thousands of USD, q in tons, NA; codes 251, 842, 699, 757, 579 and 490; k without its leading zero.
        ["baci.csv"] =
        [
            "AFG|S19|2016||X|010121|HS|reconciled|0|250|500|||FOB|True",
            "CHE|NOR|2016||X|010121|HS|reconciled|0|1|1|||FOB|True",
            "FRA|USA|2016||X|010121|HS|reconciled|0|2500|1250|||FOB|True",
            "IND|FRA|2016||X|270900|HS|reconciled|0||12500|||FOB|True",
            "USA|IND|2016||X|870323|HS|reconciled|0|1234567||||FOB|True",
        ],
    };

    private static readonly Dictionary<string, string> SkippedByReason = new()
    {
        ["comtrade-plus-annual.csv"] = """{"customsProcedureBreakdown":1,"secondPartnerBreakdown":1,"services":1,"subFlow":1}""",
        ["comtrade-api-answer.json"] = """{"services":1}""",
    };

    public static TheoryData<string> Files => new(Expected.Keys);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TradeRecords", "Fixtures", name);

    private static string SourceOf(string file) => "fx-" + Path.GetFileNameWithoutExtension(file);

    private static ByteArrayContent Body(string file, string mediaType)
    {
        var content = new ByteArrayContent(File.ReadAllBytes(Fixture(file)));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static string MediaTypeOf(string file) => file.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/csv";

    private static async Task<int> CliAsync(ApiFactory factory, params string[] args)
    {
        var root = new RootCommand { ImportCommand.Create() };
        return await root.Parse(["import", "trade-records", .. args, "--db", factory.DatabaseLocation]).InvokeAsync();
    }

    private static string Format(decimal? value) => value?.ToString("0.##########", CultureInfo.InvariantCulture) ?? "";

    private static decimal? Number(JsonElement item, string name) =>
        item.GetProperty(name).ValueKind == JsonValueKind.Null ? null : item.GetProperty(name).GetDecimal();

    private static async Task<string[]> StoredAsync(HttpClient client, string sourceId)
    {
        var page = await client.GetJsonAsync($"/v1/trade-records?sourceId={sourceId}&limit=500");
        return page.GetProperty("items").EnumerateArray().Select(i => string.Join('|',
            i.GetProperty("reporter").GetString(), i.GetProperty("partner").GetString(), i.GetProperty("year").GetInt32(),
            i.GetProperty("month").ValueKind == JsonValueKind.Null ? "" : i.GetProperty("month").GetInt32().ToString(CultureInfo.InvariantCulture),
            i.GetProperty("flow").GetString(), i.GetProperty("hs").GetString(), i.GetProperty("classification").GetString(), i.GetProperty("origin").GetString(),
            i.GetProperty("transportMode").GetInt32(), Format(Number(i, "valueUsd")), Format(Number(i, "netWeightKg")), Format(Number(i, "quantity")),
            i.GetProperty("quantityUnit").GetString(), i.GetProperty("valueBasis").GetString(), i.GetProperty("estimated").GetBoolean()))
            .Order(StringComparer.Ordinal).ToArray();
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_file_loads_unedited_through_post(string file)
    {
        var client = http.CreateWriterClient();
        var source = SourceOf(file);
        await client.EnsureSourceAsync(source);
        var response = await client.PostAsync($"{Url}?sourceId={source}", Body(file, MediaTypeOf(file)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        var report = JsonDocument.Parse(body).RootElement;
        Assert.True(report.GetProperty("committed").GetBoolean());
        Assert.Equal(Expected[file].Length, report.GetProperty("inserted").GetInt64());
        Assert.Equal(0, report.GetProperty("rejected").GetInt64());
        Assert.Equal(SkippedByReason.GetValueOrDefault(file, "{}"), report.GetProperty("skippedByReason").GetRawText());
        Assert.Equal(Expected[file], await StoredAsync(client, source));

        // What real files store (reference areas such as X899, SITC codes, EBOPS reasons) is what the document describes.
        var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var errors = new List<string>();
        SchemaValidator.Validate(report, schemas["ImportReport"]!, schemas, "$", errors);
        SchemaValidator.Validate(await client.GetJsonAsync($"/v1/trade-records?sourceId={source}&limit=500"), schemas["TradeRecordResponseListPage"]!, schemas, "$", errors);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_file_loads_unedited_through_the_cli(string file)
    {
        var client = cli.CreateWriterClient();
        var source = SourceOf(file);
        await client.EnsureSourceAsync(source);
        var exitCode = await CliAsync(cli, Fixture(file), "--source-id", source);
        Assert.Equal(0, exitCode);
        Assert.Equal(Expected[file], await StoredAsync(client, source));
    }

    [Fact]
    public async Task The_content_decides_the_format_not_the_content_type()
    {
        var client = http.CreateWriterClient();
        await client.EnsureSourceAsync("fx-sniffed");
        // A legacy CSV sent as JSON and a Comtrade answer sent as CSV are still read as what they are.
        var legacy = "Year,Period,Trade Flow,Reporter Code,Partner Code,Commodity Code,Trade Value (US$)\n2012,2012,Export,31,376,27,5\n";
        var asJson = await client.PostAsync($"{Url}?sourceId=fx-sniffed", new StringContent(legacy, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, asJson.StatusCode);
        var answer = await client.PostAsync($"{Url}?sourceId=fx-sniffed", Body("comtrade-api-answer-empty.json", "text/csv"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(["AZE|ISR|2012||X|27|HS|reported|0|5||||unknown|False"], await StoredAsync(client, "fx-sniffed"));
    }

    [Fact]
    public async Task Format_overrides_what_the_file_is_recognised_as()
    {
        var client = http.CreateWriterClient();
        await client.EnsureSourceAsync("fx-override");
        // Read as a Comtrade+ CSV, BACI's header lacks every Comtrade column: the override is obeyed.
        var forced = await client.PostAsync($"{Url}?sourceId=fx-override&format=comtrade", Body("baci.csv", "text/csv"));
        var problem = await forced.AssertProblemAsync(400, "invalidImportBody");
        Assert.Contains("reporterISO or reporterCode", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var unknown = await client.PostAsync($"{Url}?sourceId=fx-override&format=xlsx", Body("baci.csv", "text/csv"));
        var parameter = await unknown.AssertProblemAsync(400, "invalidParameter");
        Assert.Contains("baci", parameter.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(2, await CliAsync(http, Fixture("baci.csv"), "--source-id", "fx-override", "--format", "comtrade"));
        Assert.Empty(await StoredAsync(client, "fx-override"));
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_a_line_numbered_rejection_and_nothing_is_stored()
    {
        var client = http.CreateWriterClient();
        await client.EnsureSourceAsync("fx-broken");
        var response = await client.PostAsync($"{Url}?sourceId=fx-broken", Body("comtrade-broken.csv", "text/csv"));
        var problem = await response.AssertProblemAsync(422, "importRejected");
        var rejection = problem.GetProperty("report").GetProperty("rejectedRows")[0];
        Assert.Equal(3, rejection.GetProperty("line").GetInt64());
        Assert.Equal("primaryValue", rejection.GetProperty("errors")[0].GetProperty("column").GetString());
        Assert.Contains("'12x5' is not a number", rejection.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CliAsync(http, Fixture("comtrade-broken.csv"), "--source-id", "fx-broken"));
        Assert.Empty(await StoredAsync(client, "fx-broken"));
    }

    [Fact]
    public async Task Comtrade_areas_that_are_not_countries_are_reference_areas()
    {
        var client = http.CreateClient();
        var other = await client.GetJsonAsync("/v1/countries/490");
        Assert.Equal("S19", other.GetProperty("code").GetString());
        Assert.False(other.GetProperty("isCountry").GetBoolean());
        Assert.True((await client.GetJsonAsync("/v1/countries/AZE")).GetProperty("isCountry").GetBoolean());
        var areas = await client.GetJsonAsync("/v1/countries?isCountry=false&limit=500");
        var codes = areas.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        Assert.Contains("WLD", codes);
        Assert.Contains("X899", codes);
        Assert.Contains("X837", codes);
        Assert.DoesNotContain("FRA", codes);
    }

    [Fact]
    public async Task Analytics_count_reported_hs_figures_not_reconciled_or_sitc_ones()
    {
        var client = http.CreateWriterClient();
        await client.EnsureSourceAsync("fx-analytics");
        // 2011: only BACI's reconciled DEU->JPN flow; 2012: DEU's own report; 2013: a SITC code that reads like HS 27.
        var baci = await client.PostAsync($"{Url}?sourceId=fx-analytics", new StringContent("t,i,j,k,v,q\n2011,276,392,010121,5,1\n", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, baci.StatusCode);
        var reported = "reporterCode,partnerCode,period,flowCode,cmdCode,classificationCode,primaryValue\n276,392,2012,X,010121,H4,7\n276,392,2013,X,27,S3,9\n";
        var comtrade = await client.PostAsync($"{Url}?sourceId=fx-analytics", new StringContent(reported, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, comtrade.StatusCode);

        var balance = await client.GetJsonAsync("/v1/trade/balance?reporter=DEU&partner=JPN&hs=010121");
        Assert.Equal([2012], balance.GetProperty("years").EnumerateArray().Select(y => y.GetProperty("year").GetInt32()));
        var chapter = await client.GetJsonAsync("/v1/trade/balance?reporter=DEU&partner=JPN&hs=27");
        Assert.Empty(chapter.GetProperty("years").EnumerateArray());
    }
}

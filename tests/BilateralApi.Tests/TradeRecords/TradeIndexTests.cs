using System.Text.RegularExpressions;
using BilateralApi.Changes;
using BilateralApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Tests.TradeRecords;

/// <summary>
/// The trade table grows to millions of rows, and every index on it is paid by every imported row:
/// it carries exactly the indexes docs/querying.md ("What index serves what") lists with the queries
/// they serve, no more.
/// </summary>
public sealed partial class TradeIndexTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [GeneratedRegex(@"\b(?:ix|ux)_trade_record_[a-z_]+\b")]
    private static partial Regex TradeIndexName();

    private SqliteConnection Open()
    {
        _ = factory.CreateClient();
        var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(reader.FieldCount - 1));
        }
        return values;
    }

    [Fact]
    public void The_trade_table_has_exactly_the_documented_indexes()
    {
        var docs = File.ReadAllText(Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "docs", "querying.md"));
        var section = docs[docs.IndexOf("## What index serves what", StringComparison.Ordinal)..];
        var end = section.IndexOf("\n## ", 3, StringComparison.Ordinal);
        section = end > 0 ? section[..end] : section;
        var documented = TradeIndexName().Matches(section).Select(m => m.Value).ToHashSet();

        using var connection = Open();
        var stored = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trade_record' AND name NOT LIKE 'sqlite_%'").ToHashSet();

        Assert.Equal(documented.Order(), stored.Order());
        Assert.True(stored.Count <= 10, $"{stored.Count} indexes on trade_record: {string.Join(", ", stored)}");
    }

    [Fact]
    public void A_trade_records_history_seeks_each_import_instead_of_scanning_the_imported_versions()
    {
        using var connection = Open();
        var plan = string.Join("\n", Strings(connection, "EXPLAIN QUERY PLAN " + ChangeSql.TradeHistory
            .Replace("@resource", "'trade-records'").Replace("@recordNumber", "1").Replace("@id", "'1'")
            .Replace("@afterSeq", "0").Replace("@fromTime", "''").Replace("@limit", "51")));
        Assert.Contains("ix_change_log_import", plan);
        Assert.Contains("SEARCH r USING PRIMARY KEY (import_seq=? AND record_id=?)", plan);
        Assert.DoesNotContain("SCAN r", plan);
    }
}

/// <summary>Every import counts as large: the trade table's secondary indexes are dropped and built again (decision 0031).</summary>
public sealed class IndexRebuildFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings => [("Database:ImportRebuildIndexesFromBytes", "1")];
}

public sealed class TradeIndexRebuildTests(IndexRebuildFactory factory) : IClassFixture<IndexRebuildFactory>
{
    private const string Header = "reporterISO,partnerISO,period,flowCode,cmdCode,motCode,primaryValue,netWgt,qty,qtyUnitAbbr";
    private readonly HttpClient _client = factory.CreateWriterClient();

    private List<string> Indexes()
    {
        using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trade_record' AND sql IS NOT NULL ORDER BY name";
        using var reader = command.ExecuteReader();
        var indexes = new List<string>();
        while (reader.Read())
        {
            indexes.Add(reader.GetString(0));
        }
        return indexes;
    }

    [Fact]
    public async Task A_large_load_stores_its_rows_with_every_index_built_again_and_a_rejected_one_leaves_them_as_they_were()
    {
        await _client.EnsureSourceAsync("rebuild-source");
        var before = Indexes();
        Assert.Contains(before, i => i.StartsWith("ix_trade_record_reporter_year:", StringComparison.Ordinal));

        var rows = string.Join("\n", Enumerable.Range(0, 40).Select(n => $"KAZ,{(n % 2 == 0 ? "ISR" : "TUR")},{1990 + n},X,27,0,{n + 1}.5,{n},,"));
        var stored = await _client.PostAsync("/v1/trade-records/import?sourceId=rebuild-source", new StringContent(Header + "\n" + rows, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(System.Net.HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(before, Indexes());
        // The rebuilt indexes answer: a reporter's rows by year, a partner's, a year's.
        var page = await _client.GetJsonAsync("/v1/trade-records?reporter=KAZ&sort=-year&limit=3");
        Assert.Equal([2029, 2028, 2027], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("year").GetInt32()));
        Assert.Equal(20, (await _client.GetJsonAsync("/v1/trade-records?reporter=KAZ&partner=TUR&limit=100")).GetProperty("items").GetArrayLength());

        // An atomic import with a broken row rolls back, its index drop included.
        var rejected = await _client.PostAsync("/v1/trade-records/import?sourceId=rebuild-source", new StringContent(Header + "\nKAZ,RUS,2001,X,27,0,5.5,1,,\nKAZ,RUS,2002,X,27,0,not-a-number,1,,", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        Assert.Equal(before, Indexes());
        Assert.Equal(0, (await _client.GetJsonAsync("/v1/trade-records?reporter=KAZ&partner=RUS")).GetProperty("items").GetArrayLength());
    }
}

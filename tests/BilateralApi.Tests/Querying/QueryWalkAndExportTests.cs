using System.Net;
using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using nietras.SeparatedValues;

namespace BilateralApi.Tests.Querying;

public sealed class QueryWalkAndExportTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    private sealed record Row(long Id, long? Value);

    [Fact]
    public async Task Walking_a_descending_nullable_sort_while_others_insert_and_delete_returns_every_unaffected_row_once()
    {
        const string source = "walk-concurrent-source";
        await _client.EnsureSourceAsync(source);
        await using var connection = await factory.OpenConnectionAsync();
        var random = new Random(7);
        async Task<long> InsertAsync(int year, long? value) => await connection.ExecuteScalarAsync<long>("""
            INSERT INTO trade_record (reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, value_basis, estimated, source_id, created_at, updated_at, version)
            VALUES ('AZE', 'ISR', @year, NULL, 'X', '2709', 0, @value, 'FOB', 0, @source, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1) RETURNING id
            """, new { year, value, source });
        var before = new List<Row>();
        for (var year = 1900; year < 2020; year++)
        {
            long? value = random.Next(5) == 0 ? null : random.Next(10) * 1000;
            before.Add(new Row(await InsertAsync(year, value), value));
        }
        var deleted = new HashSet<long>();
        var seen = new List<long>();
        string? next = $"/v1/trade-records?sourceId={source}&sort=-valueUsd&limit=7";
        var pages = 0;
        var insertYear = 2020;
        while (next is not null)
        {
            var page = await _client.GetJsonAsync(next);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            pages++;
            // Another client: inserts rows anywhere in the order (also ties and NULLs) and deletes some not yet seen.
            for (var i = 0; i < 3; i++)
            {
                await InsertAsync(insertYear++, random.Next(4) == 0 ? null : random.Next(10) * 1000);
            }
            var victim = before[random.Next(before.Count)].Id;
            if (!seen.Contains(victim) && deleted.Add(victim))
            {
                await connection.ExecuteAsync("DELETE FROM trade_record WHERE id = @victim", new { victim });
            }
        }
        Assert.True(pages > 10);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        foreach (var row in before.Where(r => !deleted.Contains(r.Id)))
        {
            Assert.Single(seen, id => id == row.Id);
        }
        Assert.DoesNotContain(seen, deleted.Contains);
    }

    [Fact]
    public async Task Csv_export_quotes_commas_quotes_newlines_and_keeps_non_latin_text()
    {
        string[] titles =
        [
            "Plain title",
            "Comma, inside",
            "She said \"yes\"",
            "Line one\nline two",
            "Азербайджан и Израиль, ‫אזרבייג'ן‬ — 阿塞拜疆",
            "Tab\tseparated; semicolon",
        ];
        for (var i = 0; i < titles.Length; i++)
        {
            var response = await _client.PostAsync("/v1/sources", Json.Body(new
            {
                id = $"export-quoting-{i}", type = "news", author = (string?)null, publisher = "Tester, \"Inc\"", title = titles[i],
                url = (string?)null, publishedOn = "2024-01-0" + (i + 1), retrievedOn = (string?)null, reliability = "B", licence = (string?)null, notes = (string?)null,
            }));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var csv = await _client.GetStringAsync("/v1/sources?format=csv&filter=" + Uri.EscapeDataString("startswith(id, 'export-quoting-')") + "&fields=id,title,publisher,publishedOn");
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(csv);
        // Columns keep the order of the item's fields, whatever the order in fields=.
        Assert.Equal(["id", "publisher", "title", "publishedOn"], reader.Header.ColNames);
        var read = new List<(string Id, string Title, string Publisher)>();
        foreach (var row in reader)
        {
            read.Add((row["id"].ToString(), row["title"].ToString(), row["publisher"].ToString()));
        }
        Assert.Equal(titles.Length, read.Count);
        for (var i = 0; i < titles.Length; i++)
        {
            Assert.Equal($"export-quoting-{i}", read[i].Id);
            Assert.Equal(titles[i], read[i].Title);
            Assert.Equal("Tester, \"Inc\"", read[i].Publisher);
        }

        var ndjson = await _client.GetStringAsync("/v1/sources?format=ndjson&filter=" + Uri.EscapeDataString("startswith(id, 'export-quoting-')"));
        var lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(titles, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task An_empty_export_still_has_the_header()
    {
        var csv = await _client.GetStringAsync("/v1/claims?format=csv&filter=" + Uri.EscapeDataString("id eq 'no-such-claim'"));
        Assert.StartsWith("id,text,indicator,", csv, StringComparison.Ordinal);
        Assert.Single(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_query_over_its_time_budget_is_interrupted()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<QueryTimeoutException>(() => new QueryBudget(TimeSpan.FromMilliseconds(200), TimeProvider.System).Begin().Run(SqliteStatementStop.Instance, connection, () =>
            connection.ExecuteScalarAsync<long>("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"), CancellationToken.None));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        // The connection stays usable after the interrupt.
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT 1"));
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using BilateralApi.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Tests.Querying;

/// <summary>A database of its own with a generated set of trade records (and nothing else that tests change).</summary>
public sealed class GeneratedTradeFactory : ApiFactory
{
    public const string SourceId = "generated-trade-source";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private List<TradeRow>? _rows;

    public sealed record TradeRow(long Id, string Reporter, string Partner, long Year, long? Month, string Flow, string Hs, long? ValueUsdCents, double? NetWeightKg, long Estimated);

    public async Task<List<TradeRow>> RowsAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (_rows is null)
            {
                CreateClient().Dispose();
                await using var connection = await OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync(
                    "INSERT INTO source (id, type, reliability, created_at, updated_at, version) VALUES (@SourceId, 'statisticalDatabase', 'A', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)",
                    new { SourceId }, transaction);
                var random = new Random(20261128);
                string[] countries = ["AZE", "ISR", "TUR", "USA"];
                string[] hs = ["2709", "2710", "1001", "TOTAL", "27", "8802"];
                long?[] values = [null, 100, 100, 250_000, 99_999_999, 123_456_789, 5];
                double?[] weights = [null, 0.5, 1.5, 1000, 1000, 77.25];
                for (var i = 0; i < 400; i++)
                {
                    var reporter = countries[random.Next(countries.Length)];
                    var partner = countries.Where(c => c != reporter).ElementAt(random.Next(3));
                    await connection.ExecuteAsync("""
                        INSERT INTO trade_record (reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg, value_basis, estimated, source_id, created_at, updated_at, version)
                        VALUES (@reporter, @partner, @year, @month, @flow, @hs, 0, @value, @weight, 'FOB', @estimated, @SourceId, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)
                        ON CONFLICT DO NOTHING
                        """,
                        new
                        {
                            reporter, partner, year = 2015 + random.Next(10), month = random.Next(4) == 0 ? (int?)null : random.Next(1, 13),
                            flow = random.Next(2) == 0 ? "X" : "M", hs = hs[random.Next(hs.Length)],
                            value = values[random.Next(values.Length)], weight = weights[random.Next(weights.Length)],
                            estimated = random.Next(2), SourceId,
                        }, transaction);
                }
                await transaction.CommitAsync();
                _rows = (await connection.QueryAsync<TradeRow>(
                    "SELECT id AS Id, reporter AS Reporter, partner AS Partner, year AS Year, month AS Month, flow AS Flow, hs AS Hs, value_usd_cents AS ValueUsdCents, net_weight_kg AS NetWeightKg, estimated AS Estimated FROM trade_record")).AsList();
            }
            return _rows;
        }
        finally
        {
            _lock.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _lock.Dispose();
        }
    }
}

/// <summary>
/// For random filters and sorts over a generated dataset: the concatenated pages equal the streamed
/// export and equal a straightforward in-memory evaluation (hand-rolled generators, fixed seed).
/// </summary>
public sealed class QueryPropertyTests(GeneratedTradeFactory factory) : IClassFixture<GeneratedTradeFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    private sealed record Filter(string Text, Func<GeneratedTradeFactory.TradeRow, bool> Matches);

    private sealed record SortField(string Name, Func<GeneratedTradeFactory.TradeRow, IComparable?> Key);

    private static readonly SortField[] SortFields =
    [
        new("year", r => r.Year), new("month", r => r.Month), new("valueUsd", r => r.ValueUsdCents), new("netWeightKg", r => r.NetWeightKg),
        new("flow", r => r.Flow), new("hs", r => r.Hs), new("reporter", r => r.Reporter), new("partner", r => r.Partner), new("estimated", r => r.Estimated),
    ];

    private static bool Compare(IComparable? value, string op, IComparable constant) => value is not null && op switch
    {
        "eq" => value.CompareTo(constant) == 0,
        "ne" => value.CompareTo(constant) != 0,
        "gt" => value.CompareTo(constant) > 0,
        "ge" => value.CompareTo(constant) >= 0,
        "lt" => value.CompareTo(constant) < 0,
        _ => value.CompareTo(constant) <= 0,
    };

    private static Filter Atom(Random random)
    {
        string[] ops = ["eq", "ne", "gt", "ge", "lt", "le"];
        var op = ops[random.Next(ops.Length)];
        switch (random.Next(11))
        {
            case 0:
                var year = 2014 + random.Next(12);
                return new($"year {op} {year}", r => Compare(r.Year, op, (long)year));
            case 1:
                var month = random.Next(1, 13);
                // ne is true for a missing month: a comparison with null is false, its negation true.
                return new($"month {op} {month}", r => op == "ne" ? r.Month != month : Compare(r.Month, op, (long)month));
            case 2:
                return random.Next(2) == 0 ? new("month eq null", r => r.Month is null) : new("month ne null", r => r.Month is not null);
            case 3:
                var dollars = new[] { 1m, 2.5m, 2500m, 999_999.99m, 1_234_567.89m }[random.Next(5)];
                var cents = (long)(dollars * 100);
                return new($"valueUsd {op} {dollars.ToString(CultureInfo.InvariantCulture)}", r => op == "ne" ? r.ValueUsdCents != cents : Compare(r.ValueUsdCents, op, cents));
            case 4:
                var weight = new[] { 0.5, 1000, 50 }[random.Next(3)];
                return new($"netWeightKg {op} {weight.ToString(CultureInfo.InvariantCulture)}", r => op == "ne" ? r.NetWeightKg != weight : Compare(r.NetWeightKg, op, weight));
            case 5:
                var flow = random.Next(2) == 0 ? "X" : "M";
                return new($"flow eq '{flow}'", r => r.Flow == flow);
            case 6:
                string[] codes = ["2709", "1001", "TOTAL", "27", "9999"];
                var some = codes.Where(_ => random.Next(2) == 0).DefaultIfEmpty("2709").ToList();
                return new($"hs in ({string.Join(", ", some.Select(c => $"'{c}'"))})", r => some.Contains(r.Hs));
            case 7:
                var prefix = new[] { "27", "2", "TO", "88" }[random.Next(4)];
                return new($"startswith(hs, '{prefix}')", r => r.Hs.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
            case 8:
                var part = new[] { "70", "0", "ta" }[random.Next(3)];
                return new($"contains(hs, '{part}')", r => r.Hs.Contains(part, StringComparison.OrdinalIgnoreCase));
            case 9:
                var country = new[] { "AZE", "ISR", "TR", "840" }[random.Next(4)];
                var alpha3 = country switch { "TR" => "TUR", "840" => "USA", _ => country };
                return new($"reporter eq '{country}'", r => r.Reporter == alpha3);
            default:
                var flag = random.Next(2) == 0;
                return new($"estimated eq {(flag ? "true" : "false")}", r => r.Estimated == (flag ? 1 : 0));
        }
    }

    private static Filter Expression(Random random, int depth)
    {
        if (depth == 0 || random.Next(3) == 0)
        {
            return Atom(random);
        }
        var left = Expression(random, depth - 1);
        var right = Expression(random, depth - 1);
        return random.Next(3) switch
        {
            0 => new($"({left.Text} and {right.Text})", r => left.Matches(r) && right.Matches(r)),
            1 => new($"({left.Text} or {right.Text})", r => left.Matches(r) || right.Matches(r)),
            _ => new($"not ({left.Text})", r => !left.Matches(r)),
        };
    }

    /// <summary>SQLite's order: NULLs last in both directions, text by code point, numbers numerically, id breaks ties.</summary>
    private static List<long> Expected(List<GeneratedTradeFactory.TradeRow> rows, Filter? filter, List<(SortField Field, bool Descending)> sort)
    {
        var matching = rows.Where(r => filter?.Matches(r) ?? true).ToList();
        matching.Sort((a, b) =>
        {
            foreach (var (field, descending) in sort)
            {
                var (x, y) = (field.Key(a), field.Key(b));
                if (x is null || y is null)
                {
                    if (x is null && y is null)
                    {
                        continue;
                    }
                    return x is null ? 1 : -1;
                }
                var c = x is string sx ? string.CompareOrdinal(sx, (string)y) : x.CompareTo(y);
                if (c != 0)
                {
                    return descending ? -c : c;
                }
            }
            // The id breaks ties in the direction of the last sort key.
            return sort.Count > 0 && sort[^1].Descending ? b.Id.CompareTo(a.Id) : a.Id.CompareTo(b.Id);
        });
        return matching.ConvertAll(r => r.Id);
    }

    private async Task<List<long>> WalkAsync(string query, int limit)
    {
        var seen = new List<long>();
        string? next = $"/v1/trade-records?{query}&limit={limit}";
        while (next is not null)
        {
            var response = await _client.GetAsync(next);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{next}: {body}");
            using var page = JsonDocument.Parse(body);
            seen.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            next = page.RootElement.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
            Assert.True(seen.Count <= 1000, "The walk does not end.");
        }
        return seen;
    }

    [Fact]
    public async Task Pages_equal_the_export_equal_an_in_memory_evaluation_for_random_filters_and_sorts()
    {
        var rows = await factory.RowsAsync();
        var random = new Random(42);
        for (var run = 0; run < 60; run++)
        {
            var filter = run % 6 == 0 ? null : Expression(random, 3);
            var sort = SortFields.OrderBy(_ => random.Next()).Take(random.Next(0, 4)).Select(f => (f, random.Next(2) == 0)).ToList();
            var sortText = string.Join(",", sort.Select(s => (s.Item2 ? "-" : "") + s.f.Name));
            if (random.Next(4) == 0)
            {
                sortText += (sortText.Length > 0 ? "," : "") + "-id";
            }
            var query = $"sourceId={GeneratedTradeFactory.SourceId}"
                + (filter is null ? "" : "&filter=" + Uri.EscapeDataString(filter.Text))
                + (sortText.Length == 0 ? "" : "&sort=" + Uri.EscapeDataString(sortText));
            var expected = Expected(rows, filter, sort);
            if (sortText.EndsWith("-id", StringComparison.Ordinal))
            {
                expected = ExpectedWithIdDescending(rows, filter, sort);
            }
            var because = $"run {run}: {query}";

            var paged = await WalkAsync(query, random.Next(1, 60));
            Assert.True(expected.SequenceEqual(paged), because);

            var ndjson = await _client.GetStringAsync($"/v1/trade-records?{query}&format=ndjson");
            var exported = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetInt64()).ToList();
            Assert.True(expected.SequenceEqual(exported), because);

            var counted = await _client.GetJsonAsync($"/v1/trade-records?{query}&count=exact&limit=1");
            Assert.Equal(expected.Count, counted.GetProperty("page").GetProperty("total").GetInt64());
        }
    }

    private static List<long> ExpectedWithIdDescending(List<GeneratedTradeFactory.TradeRow> rows, Filter? filter, List<(SortField Field, bool Descending)> sort)
    {
        var ascending = Expected(rows, filter, [.. sort, (new SortField("none", _ => null), false)]);
        // Ties on the other keys are broken by id descending: reverse each run of equal keys.
        var byId = rows.ToDictionary(r => r.Id);
        return ascending
            .GroupBy(id => string.Join("|", sort.Select(s => s.Field.Key(byId[id])?.ToString() ?? "\u0000null")))
            .SelectMany(g => g.OrderByDescending(id => id))
            .ToList();
    }

    [Fact]
    public async Task Csv_export_has_the_documented_columns_and_every_matching_row()
    {
        var rows = await factory.RowsAsync();
        var csv = await _client.GetStringAsync($"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&format=csv&sort=-valueUsd");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("id,reporter,partner,year,month,flow,hs,transportMode,valueUsd,netWeightKg,", lines[0], StringComparison.Ordinal);
        Assert.Equal(rows.Count + 1, lines.Count);
        var accept = new HttpRequestMessage(HttpMethod.Get, $"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&fields=id,valueUsd");
        accept.Headers.Accept.ParseAdd("text/csv");
        var response = await _client.SendAsync(accept);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("id,valueUsd", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_facets_and_head()
    {
        var rows = await factory.RowsAsync();
        var response = await _client.GetAsync($"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&count=exact&facet=flow,estimated&limit=2");
        var page = await response.ReadJsonAsync();
        Assert.Equal(rows.Count.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Total-Count").Single());
        var flows = page.GetProperty("facets").GetProperty("flow").EnumerateArray().ToDictionary(f => f.GetProperty("value").GetString()!, f => f.GetProperty("count").GetInt64());
        Assert.Equal(rows.Count(r => r.Flow == "X"), flows["X"]);
        Assert.Equal(rows.Count(r => r.Flow == "M"), flows["M"]);
        Assert.Contains(page.GetProperty("facets").GetProperty("estimated").EnumerateArray(), f => f.GetProperty("value").ValueKind == JsonValueKind.True);

        var estimate = await _client.GetJsonAsync($"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&count=estimate&limit=1");
        Assert.Equal(rows.Count, estimate.GetProperty("page").GetProperty("total").GetInt64());
        Assert.False(estimate.GetProperty("page").TryGetProperty("totalTruncated", out _));
        Assert.False((await _client.GetJsonAsync($"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&limit=1")).GetProperty("page").TryGetProperty("total", out _));

        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&count=exact&limit=5"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(rows.Count.ToString(CultureInfo.InvariantCulture), head.Headers.GetValues("X-Total-Count").Single());
        Assert.True(head.Headers.Contains("Link"));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("filter", "year eq 2020' OR 1=1 --")]
    [InlineData("filter", "year eq 2020; DROP TABLE trade_record")]
    [InlineData("filter", "hs eq 'x'' OR ''1''=''1'")]
    [InlineData("filter", "contains(hs, '%')")]
    [InlineData("filter", "contains(hs, '_')")]
    [InlineData("filter", "\"hs\" eq 'TOTAL'")]
    [InlineData("filter", "hs eq 'TOTAL' or 1 eq 1")]
    [InlineData("sort", "year; DROP TABLE trade_record")]
    [InlineData("sort", "(SELECT 1)")]
    [InlineData("sort", "-year DESC")]
    [InlineData("fields", "id,(SELECT 1)")]
    [InlineData("facet", "hs) FROM trade_record --")]
    [InlineData("facet", "year:day")]
    [InlineData("count", "exact; DROP TABLE trade_record")]
    [InlineData("format", "csv'")]
    [InlineData("expand", "sqlite_master")]
    [InlineData("cursor", "eyJGIjoiMCIsIksiOlsiMSBPUiAxPTEiXX0.AAAA")]
    [InlineData("hs", "27' OR '1'='1")]
    [InlineData("reporter", "AZE' --")]
    [InlineData("year", "2020 OR 1=1")]
    [InlineData("q", "anything")]
    [InlineData("limit", "1; DROP TABLE trade_record")]
    public async Task Injection_attempts_are_400_or_empty_and_change_nothing(string parameter, string value)
    {
        var rows = await factory.RowsAsync();
        var response = await _client.GetAsync($"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&{parameter}={Uri.EscapeDataString(value)}");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray());
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain("SQLite Error", body, StringComparison.OrdinalIgnoreCase);
        }
        // The table is still there with every row (a dropped table would fail this statement).
        await using var connection = await factory.OpenConnectionAsync();
        Assert.Equal(rows.Count, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trade_record WHERE source_id = @SourceId", new { GeneratedTradeFactory.SourceId }));
    }

    [Fact]
    public async Task Cursors_are_bound_to_the_query_and_tamper_evident()
    {
        await factory.RowsAsync();
        var query = $"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&sort=-year&limit=2";
        var cursor = (await _client.GetJsonAsync(query)).GetProperty("page").GetProperty("nextCursor").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"{query}&cursor={cursor}&fields=id")).StatusCode);

        var otherSort = await _client.GetAsync($"/v1/trade-records?sourceId={GeneratedTradeFactory.SourceId}&sort=year&limit=2&cursor={cursor}");
        Assert.Contains("other filters", (await otherSort.AssertProblemAsync(400, "invalidParameter")).FieldErrors("cursor")[0], StringComparison.Ordinal);
        var otherFilter = await _client.GetAsync($"{query}&filter=flow%20eq%20'X'&cursor={cursor}");
        await otherFilter.AssertProblemAsync(400, "invalidParameter");

        // Change one character of the payload (the keys): the signature no longer matches.
        var tampered = (cursor[5] == 'A' ? "B" : "A") is var c ? cursor[..5] + c + cursor[6..] : cursor;
        var forged = await _client.GetAsync($"{query}&cursor={tampered}");
        Assert.Contains("not one this API issued", (await forged.AssertProblemAsync(400, "invalidParameter")).FieldErrors("cursor")[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sort=yeer", "sort", "year")]
    [InlineData("fields=valueUSD", "fields", "valueUsd")]
    [InlineData("facet=flwo", "facet", "flow")]
    [InlineData("limit=501", "limit", null)]
    [InlineData("limit=0", "limit", null)]
    [InlineData("count=all", "count", null)]
    [InlineData("format=xml", "format", null)]
    [InlineData("sort=relevance", "sort", null)]
    public async Task Unknown_names_and_bad_values_are_400_naming_the_parameter(string query, string parameter, string? suggestion)
    {
        var response = await _client.GetAsync($"/v1/trade-records?{query}");
        var message = (await response.AssertProblemAsync(400, "invalidParameter")).FieldErrors(parameter)[0];
        if (suggestion is not null)
        {
            Assert.Contains($"Did you mean '{suggestion}'", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_invalid_filter_is_400_invalidFilter_with_position_token_and_suggestion()
    {
        var response = await _client.GetAsync("/v1/trade-records?filter=" + Uri.EscapeDataString("year ge 2020 and flwo eq 'X'"));
        var problem = await response.AssertProblemAsync(400, "invalidFilter");
        Assert.Equal(18, problem.GetProperty("position").GetInt32());
        Assert.Equal("flwo", problem.GetProperty("token").GetString());
        Assert.Equal("flow", problem.GetProperty("didYouMean").GetString());
        Assert.Contains("valueUsd", problem.GetProperty("allowedFields").EnumerateArray().Select(f => f.GetString()));
    }
}

using System.Globalization;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.TradeAnalytics;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Dyads;

public sealed class CodeCountRow
{
    public string Code { get; set; } = "";
    public long Quad { get; set; }
    public long Count { get; set; }
}

public sealed class AgreementBriefRow
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
}

public sealed class EventBriefRow
{
    public string Which { get; set; } = "";
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string Type { get; set; } = "";
    public string DateValue { get; set; } = "";
    public string? DateTo { get; set; }
    public long DateInferred { get; set; }
}

public sealed class SubjectCountRow
{
    public string Subject { get; set; } = "";
    public string Kind { get; set; } = "";
    public long Count { get; set; }
}

public sealed class DyadSourceRow
{
    public string Id { get; set; } = "";
    public string? Title { get; set; }
    public string? Publisher { get; set; }
    public string Reliability { get; set; } = "";
    public long Agreements { get; set; }
    public long Events { get; set; }
    public long TradeRecords { get; set; }
}

public sealed class CooperationRow
{
    public string Bucket { get; set; } = "";
    public long Quad { get; set; }
    public long Events { get; set; }
    public double? IntensitySum { get; set; }
    public long WithIntensity { get; set; }
}

public sealed class TimelineRow
{
    public string Kind { get; set; } = "";
    public string Id { get; set; } = "";
    public string? Milestone { get; set; }
    public long Seq { get; set; }
    public string DateValue { get; set; } = "";
    public string? DateTo { get; set; }
    public long DateInferred { get; set; }
    public string DateStart { get; set; } = "";
    public string DateEnd { get; set; } = "";
    public long PrecisionRank { get; set; }
    public string Key { get; set; } = "";
    public string Title { get; set; } = "";
    public string Type { get; set; } = "";
    public string? Status { get; set; }
    public long? Quad { get; set; }

    public TimelineItem ToItem() => new(Kind, Id, Milestone, Infrastructure.Dates.DateValue.FromStored(DateValue, DateTo, DateInferred != 0)!,
        Title, Type, Status, Quad is null ? null : (int)Quad, Key, Kind == "agreement" ? $"/v1/agreements/{Id}" : $"/v1/events/{Id}");
}

public sealed class SpanRow
{
    public string? First { get; set; }
    public string? Last { get; set; }
}

public sealed class DyadRepository(SqliteConnectionFactory connections)
{
    public async Task<DyadResponse> SummaryAsync(DyadCountry a, DyadCountry b, DateOnly today, CancellationToken cancellationToken)
    {
        var p = new { a = a.Code, b = b.Code, today = PartialDate.Iso(today) };
        await using var connection = await connections.OpenAsync(cancellationToken);
        Task<List<T>> Query<T>(string sql) => QueryAsync<T>(connection, sql, p, cancellationToken);

        var byStatus = await Query<CodeCountRow>(DyadSql.AgreementsByStatus);
        var inForce = await Query<AgreementBriefRow>(DyadSql.AgreementsInForce);
        var byType = await Query<CodeCountRow>(DyadSql.EventsByType);
        var firstLatest = await Query<EventBriefRow>(DyadSql.FirstAndLatestEvent);
        var trade = await Query<TradeAggregateRow>(DyadSql.Trade);
        var subjects = await Query<SubjectCountRow>(DyadSql.SubjectTable);
        var sources = await Query<DyadSourceRow>(DyadSql.Sources);

        var agreements = new DyadAgreements((int)byStatus.Sum(r => r.Count), [.. byStatus.Select(r => new CodeCount(r.Code, (int)r.Count))], p.today,
            [.. inForce.Select(r => new AgreementBrief(r.Id, r.Title, r.Type, r.Status, $"/v1/agreements/{r.Id}"))]);
        var events = new DyadEvents((int)byType.Sum(r => r.Count),
            [.. byType.OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal).Select(r => new CodeCount(r.Code, (int)r.Count))],
            [.. Enumerable.Range(1, 4).Select(q => new QuadCount(q, QuadLabel(q), (int)byType.Where(r => r.Quad == q).Sum(r => r.Count)))],
            Brief(firstLatest.FirstOrDefault(r => r.Which == "first")), Brief(firstLatest.FirstOrDefault(r => r.Which == "latest")));

        var tradeYears = trade.GroupBy(r => r.Hs!, StringComparer.Ordinal)
            .SelectMany(g => TradeAnalyticsRepository.BalanceYears([.. g], a.Code, b.Code)
                .Select(y => new DyadTradeYear(y.Year, g.Key, y.Exports, y.Imports, y.BalanceUsd)))
            .OrderBy(y => y.Year).ThenBy(y => y.Hs == "TOTAL" ? "" : y.Hs, StringComparer.Ordinal).ToList();
        List<DyadTopCommodities> top = [TopChapters(trade, a.Code, b.Code), TopChapters(trade, b.Code, a.Code)];

        var subjectTable = subjects.GroupBy(s => s.Subject, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SubjectRow(g.Key, Count(g, "agreements"), Count(g, "events"), Count(g, "trade"))).ToList();

        var yearly = await CooperationAsync(connection, a, b, "year", null, null, directed: false, cancellationToken);
        var latest = yearly.Buckets.LastOrDefault(x => x.Events > 0);

        return new DyadResponse(a, b, agreements, events, tradeYears, top, subjectTable, latest,
            [.. sources.Select(s => new DyadSource(s.Id, s.Title, s.Publisher, s.Reliability, (int)s.Agreements, (int)s.Events, (int)s.TradeRecords, $"/v1/sources/{s.Id}"))]);
    }

    /// <summary>Top chapters from exporter to importer in the latest year with chapter rows: the exporter's X report, else the importer's M report.</summary>
    private static DyadTopCommodities TopChapters(List<TradeAggregateRow> trade, string exporter, string importer)
    {
        var own = trade.Where(r => r.Hs != "TOTAL" && r.Reporter == exporter && r.Flow == "X").ToList();
        var mirror = trade.Where(r => r.Hs != "TOTAL" && r.Reporter == importer && r.Flow == "M").ToList();
        var (rows, source) = own.Count > 0 ? (own, "reporter") : mirror.Count > 0 ? (mirror, "mirror") : (own, (string?)null);
        if (rows.Count == 0)
        {
            return new DyadTopCommodities(exporter, importer, null, null, []);
        }
        var year = rows.Max(r => r.Year);
        var total = trade.FirstOrDefault(r => r.Hs == "TOTAL" && r.Year == year && r.Reporter == rows[0].Reporter && r.Flow == rows[0].Flow);
        var items = rows.Where(r => r.Year == year)
            .OrderByDescending(r => r.Value ?? -1).ThenByDescending(r => r.Weight ?? -1).ThenBy(r => r.Hs, StringComparer.Ordinal).Take(5)
            .Select((r, i) => new RankedFigure(i + 1, r.Hs!, r.Description, r.ToFigure(), TradeAnalyticsRepository.Percent(r.Value, total?.Value))).ToList();
        return new DyadTopCommodities(exporter, importer, (int)year, source, items);
    }

    /// <summary>One page of the timeline: up to <paramref name="take"/> items after the keyset position <paramref name="after"/> (null: from the start).</summary>
    public async Task<CooperationResponse> CooperationAsync(DyadCountry a, DyadCountry b, string interval, PartialDate? from, PartialDate? to, bool directed, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await CooperationAsync(connection, a, b, interval, from, to, directed, cancellationToken);
    }

    private static async Task<CooperationResponse> CooperationAsync(SqliteConnection connection, DyadCountry a, DyadCountry b, string interval, PartialDate? from, PartialDate? to, bool directed, CancellationToken cancellationToken)
    {
        var pair = directed ? DyadSql.EventFromAToB : DyadSql.EventOfPair;
        DateOnly first, last;
        if (from is null || to is null)
        {
            var span = (await QueryAsync<SpanRow>(connection, string.Format(CultureInfo.InvariantCulture, DyadSql.EventSpan, pair), new { a = a.Code, b = b.Code }, cancellationToken))[0];
            if (span.First is null && (from is null || to is null))
            {
                return new CooperationResponse(a, b, interval, directed, 0, []);
            }
            first = from?.Start ?? DateOnly.ParseExact(span.First!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            last = to?.End ?? DateOnly.ParseExact(span.Last!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        else
        {
            first = from.Value.Start;
            last = to.Value.End;
        }
        var buckets = Buckets.Between(interval, first, last);
        if (buckets.Count == 0)
        {
            return new CooperationResponse(a, b, interval, directed, 0, []);
        }
        var p = new { a = a.Code, b = b.Code, from = buckets[0].Start, to = buckets[^1].End };
        var startBucket = DyadSql.Bucket(interval, "e.date_start");
        var endBucket = DyadSql.Bucket(interval, "e.date_end");
        var rows = await QueryAsync<CooperationRow>(connection, string.Format(CultureInfo.InvariantCulture, DyadSql.Cooperation, startBucket, endBucket, pair), p, cancellationToken);
        var unplaced = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            string.Format(CultureInfo.InvariantCulture, DyadSql.Unplaced, startBucket, endBucket, pair), p, cancellationToken: cancellationToken));
        var byBucket = rows.ToLookup(r => r.Bucket, StringComparer.Ordinal);
        var series = buckets.Select(k =>
        {
            var g = byBucket[k.Period].ToList();
            int Quad(int q) => (int)g.Where(r => r.Quad == q).Sum(r => r.Events);
            var events = (int)g.Sum(r => r.Events);
            var sum = g.Sum(r => r.IntensitySum ?? 0);
            var withIntensity = g.Sum(r => r.WithIntensity);
            return new CooperationBucket(k.Period, k.Start, k.End, events, Quad(1), Quad(2), Quad(3), Quad(4), withIntensity == 0 ? null : sum / withIntensity, sum);
        }).ToList();
        return new CooperationResponse(a, b, interval, directed, (int)unplaced, series);
    }

    private static string QuadLabel(int quad) => quad switch
    {
        1 => "verbalCooperation",
        2 => "materialCooperation",
        3 => "verbalConflict",
        _ => "materialConflict",
    };

    private static EventBrief? Brief(EventBriefRow? row) => row is null ? null
        : new EventBrief(row.Id, row.Title, row.Type, DateValue.FromStored(row.DateValue, row.DateTo, row.DateInferred != 0)!, $"/v1/events/{row.Id}");

    private static int Count(IEnumerable<SubjectCountRow> rows, string kind) => (int)rows.Where(r => r.Kind == kind).Sum(r => r.Count);

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, string sql, object parameters, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
}

/// <summary>The calendar buckets of a cooperation series.</summary>
public static class Buckets
{
    public const int MaxBuckets = 1200;

    public readonly record struct Bucket(string Period, string Start, string End);

    public static DateOnly StartOf(string interval, DateOnly day) => interval switch
    {
        "month" => new DateOnly(day.Year, day.Month, 1),
        "quarter" => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
        _ => new DateOnly(day.Year, 1, 1),
    };

    public static List<Bucket> Between(string interval, DateOnly first, DateOnly last)
    {
        var result = new List<Bucket>();
        for (var start = StartOf(interval, first); start <= last && result.Count <= MaxBuckets; start = Next(interval, start))
        {
            var end = Next(interval, start).AddDays(-1);
            var period = interval switch
            {
                "month" => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                "quarter" => $"{start.Year:D4}-Q{((start.Month - 1) / 3) + 1}",
                _ => start.Year.ToString("D4", CultureInfo.InvariantCulture),
            };
            result.Add(new Bucket(period, PartialDate.Iso(start), PartialDate.Iso(end)));
        }
        return result;
    }

    /// <summary>How many buckets the range spans (to refuse overlong series before querying).</summary>
    public static int Count(string interval, DateOnly first, DateOnly last)
    {
        var months = ((last.Year - first.Year) * 12) + last.Month - first.Month;
        return interval switch
        {
            "month" => months + 1,
            "quarter" => ((last.Year - first.Year) * 4) + ((last.Month - 1) / 3) - ((first.Month - 1) / 3) + 1,
            _ => last.Year - first.Year + 1,
        };
    }

    private static DateOnly Next(string interval, DateOnly start) => interval switch
    {
        "month" => start.AddMonths(1),
        "quarter" => start.AddMonths(3),
        _ => start.AddYears(1),
    };
}

using System.ComponentModel;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.TradeAnalytics;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Dyads;

[Description("A country of the pair.")]
public sealed record DyadCountry([property: Description("ISO 3166-1 alpha-3.")] string Code, string Name);

[Description("A count per code.")]
public sealed record CodeCount(string Code, int Count);

[Description("An agreement in force, in short.")]
public sealed record AgreementBrief(string Id, string Title, string Type, string Status, [property: Description("Link to the agreement.")] string Href);

[Description("The pair's agreements.")]
public sealed record DyadAgreements(
    int Total,
    [property: Description("agreementStatus code → count.")] IReadOnlyList<CodeCount> ByStatus,
    [property: Description("The day 'in force' is judged on (today, UTC).")] string AsOf,
    [property: Description("Agreements in force on asOf (the rule of /v1/agreements?inForceOn=).")] IReadOnlyList<AgreementBrief> InForce);

[Description("Event counts of one PLOVER cooperation class.")]
public sealed record QuadCount(
    [property: Description("1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.")] int Quad,
    string Label, int Count);

[Description("An event in short.")]
public sealed record EventBrief(string Id, string Title, string Type, DateValue Date, [property: Description("Link to the event.")] string Href);

[Description("The pair's events (participants from both countries, in any roles).")]
public sealed record DyadEvents(
    int Total,
    [property: Description("eventType code → count.")] IReadOnlyList<CodeCount> ByType,
    [property: Description("Counts per cooperation class, all four classes always present.")] IReadOnlyList<QuadCount> ByQuad,
    [property: Description("Earliest by date; null when there are no events.")] EventBrief? First,
    [property: Description("Latest by date; null when there are no events.")] EventBrief? Latest);

[Description("One year of the pair's trade at one HS level, from a's side.")]
public sealed record DyadTradeYear(
    int Year,
    [property: Description("TOTAL or an HS chapter: chapters are shown when no TOTAL is reported, and only TOTAL gives the overall balance.")] string Hs,
    [property: Description("a's exports to b (a's report, else b's mirror report of imports).")] BalanceFlow Exports,
    [property: Description("a's imports from b (a's report, else b's mirror report of exports).")] BalanceFlow Imports,
    [property: Description("exports − imports in US dollars (exact); null when either is unknown.")] decimal? BalanceUsd);

[Description("Top HS chapters of one direction in the latest year with chapter-level data.")]
public sealed record DyadTopCommodities(
    [property: Description("Exporter alpha-3.")] string From,
    [property: Description("Importer alpha-3.")] string To,
    [property: Description("The year shown; null when no chapter-level trade is reported in this direction.")] int? Year,
    [property: Description("'reporter' when the exporter's own report is used, 'mirror' when the importer's.")] string? Source,
    IReadOnlyList<RankedFigure> Items);

[Description("One row of the subject table.")]
public sealed record SubjectRow(
    [property: Description("subject code.")] string Subject,
    [property: Description("Agreements of the pair with this subject.")] int Agreements,
    [property: Description("Events of the pair with this subject.")] int Events,
    [property: Description("Trade records of the pair (either direction) in HS chapters mapped to this subject (docs/analytics.md).")] int Trade);

[Description("A source the summary rests on, with how many of the pair's records cite it.")]
public sealed record DyadSource(string Id, string? Title, string? Publisher, string Reliability, int Agreements, int Events, int TradeRecords, string Href);

[Description("One country pair at a glance; directional figures are labelled from a's side.")]
public sealed record DyadResponse(
    DyadCountry A,
    DyadCountry B,
    DyadAgreements Agreements,
    DyadEvents Events,
    [property: Description("Trade per year at TOTAL and chapter level.")] IReadOnlyList<DyadTradeYear> Trade,
    [property: Description("a→b and b→a.")] IReadOnlyList<DyadTopCommodities> TopCommodities,
    [property: Description("Subject × kind counts, subjects in code order.")] IReadOnlyList<SubjectRow> Subjects,
    [property: Description("The latest year with events in the cooperation series (undirected); null without events.")] CooperationBucket? LatestCooperation,
    [property: Description("Sources cited by the pair's agreements and events and named by its trade records, most used first.")] IReadOnlyList<DyadSource> Sources);

[Description("An item of the timeline: an agreement milestone or an event.")]
public sealed record TimelineItem(
    [property: Description("agreement or event.")] string Kind,
    string Id,
    [property: Description("For agreements: signed, inForce, validUntil or ended; null for events.")] string? Milestone,
    [property: Description("The date with its precision. Items sort by earliest day; on the same day year-dated items come before month-dated ones, and those before day-dated ones.")] DateValue Date,
    string Title,
    [property: Description("agreementType or eventType code.")] string Type,
    [property: Description("agreementStatus (agreements only).")] string? Status,
    [property: Description("PLOVER quad (events only).")] int? Quad,
    [property: Description("Unique name of the item in the timeline: kind/id for events, kind/id/milestone for agreement milestones; the final tie-breaker of every sort.")] string Key,
    [property: Description("Link to the agreement or event.")] string Href);

[Description("One bucket of the cooperation series.")]
public sealed record CooperationBucket(
    [property: Description("2023, 2023-Q2 or 2023-04.")] string Period,
    [property: Description("First day of the bucket.")] string Start,
    [property: Description("Last day of the bucket.")] string End,
    [property: Description("Events placed in the bucket.")] int Events,
    int VerbalCooperation,
    int MaterialCooperation,
    int VerbalConflict,
    int MaterialConflict,
    [property: Description("Mean effective intensity (−10..+10) of the bucket's events; null when it has none.")] double? MeanIntensity,
    [property: Description("Net cooperation index: the sum of the events' effective intensities (Goldstein-style; cooperation positive, conflict negative); 0 for an empty bucket.")] double NetCooperationIndex);

[Description("The pair's events per period by cooperation class.")]
public sealed record CooperationResponse(
    DyadCountry A,
    DyadCountry B,
    [property: Description("month, quarter or year.")] string Interval,
    [property: Description("True: only events where a is an actor and b a recipient; false: events with participants from both.")] bool Directed,
    [property: Description("Events of the pair in the range whose date is less precise than the interval (e.g. known only to the year in a monthly series) and so belong to no single bucket; not in the buckets.")] int Unplaced,
    [property: Description("Every bucket from 'from' to 'to' (default: the span of the pair's events), empty ones as zeros.")] IReadOnlyList<CooperationBucket> Buckets);

public sealed class DyadRoute
{
    [FromRoute(Name = "a"), Description("One country of the pair: ISO 3166-1 alpha-3, alpha-2 or numeric. Directional figures are from its side.")]
    [Example("AZE")]
    public string A { get; set; } = "";

    [FromRoute(Name = "b"), Description("The other country, in any accepted form.")]
    [Example("ISR")]
    public string B { get; set; } = "";
}

public sealed class DyadTimelineQuery
{
    [FromQuery(Name = "date"), Description("Items whose date overlaps this period: YYYY, YYYY-MM, YYYY-MM-DD, or a range lo..hi, lo.., ..hi.")]
    [Example("2020..2024")]
    public string? Date { get; set; }

    [FromQuery(Name = "kind"), Description("agreement, event: a,b (any of) or !a (none of).")]
    [Example("event")]
    public string? Kind { get; set; }

    [FromQuery(Name = "subject"), Description("subject codes the agreement or event has: a,b (any of) or !a,b (none of).")]
    [Example("energy")]
    public string? Subject { get; set; }

    [FromQuery(Name = "type"), Description("agreementType or eventType codes: a,b (any of) or !a,b (none of).")]
    [Example("SUPPORT,programme")]
    public string? Type { get; set; }

    [FromQuery(Name = "milestone"), Description("Agreement milestones: signed, inForce, validUntil, ended: a,b (any of) or !a,b (none of; events have no milestone and stay).")]
    [Example("signed,inForce")]
    public string? Milestone { get; set; }

    [FromQuery(Name = "status"), Description("agreementStatus codes of the agreements: a,b (any of) or !a,b (none of; events have no status and stay).")]
    [Example("inForce")]
    public string? Status { get; set; }

    [FromQuery(Name = "quad"), Description("PLOVER quad of the events (1 verbal cooperation … 4 material conflict): a,b (any of), !a (none of; agreements have no quad and stay) or lo..hi.")]
    [Example("1,2")]
    public string? Quad { get; set; }
}

public sealed class CooperationQuery
{
    [FromQuery(Name = "interval"), Description("Bucket size: month, quarter or year (default year).")]
    [Example("year")]
    public string? Interval { get; set; }

    [FromQuery(Name = "from"), Description("First period: YYYY, YYYY-MM or YYYY-MM-DD (its bucket is the first); default: the bucket of the pair's first event.")]
    [Example("2020")]
    public string? From { get; set; }

    [FromQuery(Name = "to"), Description("Last period, same forms (its bucket is the last); default: the bucket of the pair's latest event.")]
    [Example("2024")]
    public string? To { get; set; }

    [FromQuery(Name = "directed"), Description("true: only events where a acts and b receives; false (default): events with participants from both.")]
    [Example("false")]
    public string? Directed { get; set; }
}

using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Querying;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Dyads;

public static class DyadEndpoints
{
    public static RouteGroupBuilder MapDyads(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/dyads").WithTags("Dyads");

        group.MapGet("/{a}/{b}", Get).WithName("getDyad").AnswersProblem(StatusCodes.Status404NotFound, "Not found: a country of the pair is unknown (code notFound).")
            .WithSummary("One country pair at a glance")
            .WithDescription("Agreements by status and those in force today, events by type and cooperation class with the first and latest, trade per year in both directions with the balance (TOTAL and chapter level), top chapters each way, the subject × kind table, the latest yearly cooperation index, and the sources all of it rests on. Countries in any ISO 3166-1 form; the pair is unordered, directional figures are from a's side. An unknown country is 404, the same country twice 400.");
        group.MapGet("/{a}/{b}/timeline", Timeline).WithQueryFields(DyadSql.TimelineQuery).WithName("listDyadTimeline").WithListETag()
            .WithSummary("Agreement milestones and events of a pair in date order")
            .WithDescription("Agreement milestones (signed, inForce, validUntil, ended) and events of the pair merged in date order. By default items sort by the earliest day their date can mean; on the same day an item known only to the year comes before one known to the month, and that before one known to the day; then agreements before events, then by id and milestone order. key (kind/id/milestone) names each item uniquely and breaks ties of any sort=. Filters date (overlap), kind, milestone, subject, type, status, quad. " + ListQuery.Description + " CSV columns: kind, id, milestone, date.value, date.precision, date.to, date.inferred, title, type, status, quad, key, href.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapMethods("/{a}/{b}/timeline", [HttpMethods.Head], Timeline).WithQueryFields(DyadSql.TimelineQuery).ExcludeFromDescription();
        group.MapGet("/{a}/{b}/cooperation", Cooperation).WithName("getDyadCooperation")
            .WithSummary("Cooperation and conflict of a pair per period")
            .WithDescription("Per month, quarter or year: event counts by PLOVER cooperation class, mean effective intensity and the net cooperation index (the sum of effective intensities; see docs/analytics.md). Every bucket from 'from' to 'to' is present, empty ones as zeros. An event counts in a bucket only when its whole date lies in it; events dated less precisely than the interval are counted in 'unplaced'. directed=true keeps events where a acts and b receives.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<DyadResponse>, ValidationProblem, ProblemHttpResult>> Get(
        [AsParameters] DyadRoute route, DyadRepository dyads, CountryCatalog countries, TimeProvider time, CancellationToken cancellationToken)
    {
        var pair = Resolve(route, countries);
        if (pair.NotFound is { } notFound)
        {
            return notFound;
        }
        if (pair.Invalid is { } invalid)
        {
            return invalid;
        }
        var (a, b) = (pair.A!, pair.B!);
        return TypedResults.Ok(await dyads.SummaryAsync(a, b, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken));
    }

    public static async Task<Results<ListResult<TimelineItem>, ValidationProblem, ProblemHttpResult>> Timeline(
        [AsParameters] DyadRoute route, [AsParameters] DyadTimelineQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken)
    {
        var pair = Resolve(route, countries);
        if (pair.NotFound is { } notFound)
        {
            return notFound;
        }
        if (pair.Invalid is { } invalid)
        {
            return invalid;
        }
        var (a, b) = (pair.A!, pair.B!);
        var filters = new ListFilters(countries, codes);
        filters.DateOverlap("date", query.Date, "x.DateStart", "x.DateEnd");
        filters.OneOf("kind", query.Kind, "x.Kind", ["agreement", "event"]);
        filters.OneOf("milestone", query.Milestone, "x.Milestone", ["signed", "inForce", "validUntil", "ended"]);
        filters.CodesExist("subject", query.Subject, DyadSql.TimelineSubject, "subject");
        Types(filters, query.Type, codes);
        filters.Codes("status", query.Status, "x.Status", "agreementStatus");
        filters.Integers("quad", query.Quad, "x.Quad", 1, 4);
        filters.Sql.Parameters.Add("a", a.Code);
        filters.Sql.Parameters.Add("b", b.Code);
        // The pair is unordered: /AZE/ISR and /ISR/AZE list the same items, so a cursor of one serves the other.
        var pairKey = string.CompareOrdinal(a.Code, b.Code) < 0 ? $"{a.Code},{b.Code}" : $"{b.Code},{a.Code}";
        var resource = DyadSql.TimelineQuery with { Name = $"dyad-{a.Code}-{b.Code}-timeline", CursorScope = "dyad-timeline:" + pairKey };
        return await ListQuery.RunAsync<TimelineRow, TimelineItem>(http, resource, filters, list, paging, r => r.ToItem(), null, cancellationToken);
    }

    public static async Task<Results<Ok<CooperationResponse>, ValidationProblem, ProblemHttpResult>> Cooperation(
        [AsParameters] DyadRoute route, [AsParameters] CooperationQuery query,
        DyadRepository dyads, CountryCatalog countries, CodeListCatalog codes, CancellationToken cancellationToken)
    {
        var pair = Resolve(route, countries);
        if (pair.NotFound is { } notFound)
        {
            return notFound;
        }
        if (pair.Invalid is { } invalid)
        {
            return invalid;
        }
        var (a, b) = (pair.A!, pair.B!);
        var filters = new ListFilters(countries, codes);
        var interval = query.Interval?.Trim() ?? "year";
        if (interval is not ("month" or "quarter" or "year"))
        {
            filters.Error("interval", $"'{query.Interval}' is not an interval. Allowed: month, quarter, year.");
            interval = "year";
        }
        PartialDate? from = null, to = null;
        if (query.From is not null && !PartialDate.TryParse(query.From.Trim(), out from))
        {
            filters.Error("from", "Use a date YYYY, YYYY-MM or YYYY-MM-DD.");
        }
        if (query.To is not null && !PartialDate.TryParse(query.To.Trim(), out to))
        {
            filters.Error("to", "Use a date YYYY, YYYY-MM or YYYY-MM-DD.");
        }
        if (from is { } f && to is { } t)
        {
            if (f.Start > t.End)
            {
                filters.Error("to", "'to' is before 'from'.");
            }
            else if (Buckets.Count(interval, f.Start, t.End) > Buckets.MaxBuckets)
            {
                filters.Error("to", $"At most {Buckets.MaxBuckets} buckets; use a longer interval or a shorter range.");
            }
        }
        var directed = false;
        switch (query.Directed?.Trim())
        {
            case null or "false":
                break;
            case "true":
                directed = true;
                break;
            default:
                filters.Error("directed", $"'{query.Directed}' is not true or false.");
                break;
        }
        if (!filters.IsValid)
        {
            return filters.Problem();
        }
        var result = await dyads.CooperationAsync(a, b, interval, from, to, directed, cancellationToken);
        if (result.Buckets.Count > Buckets.MaxBuckets)
        {
            return Problems.Parameter("interval", $"The pair's events span more than {Buckets.MaxBuckets} buckets; give 'from' and 'to' or a longer interval.");
        }
        return TypedResults.Ok(result);
    }

    private readonly record struct Pair(DyadCountry? A, DyadCountry? B, ProblemHttpResult? NotFound = null, ValidationProblem? Invalid = null);

    /// <summary>Both countries in canonical form; 404 for an unknown one, 400 for the same one twice.</summary>
    private static Pair Resolve(DyadRoute route, CountryCatalog countries)
    {
        foreach (var code in new[] { route.A, route.B })
        {
            if (!countries.TryResolve(code, out _))
            {
                return new Pair(null, null, NotFound: Problems.Create(404, Problems.NotFound, "Not found", $"No country has the code '{code}' (use ISO 3166-1 alpha-3, alpha-2 or numeric)."));
            }
        }
        countries.TryResolve(route.A, out var a);
        countries.TryResolve(route.B, out var b);
        if (a == b)
        {
            return new Pair(null, null, Invalid: Problems.Parameter("b", $"'{route.B}' is the same country as '{route.A}'; a dyad needs two countries."));
        }
        return new Pair(Country(a, countries), Country(b, countries));
    }

    private static DyadCountry Country(string alpha3, CountryCatalog countries) => new(alpha3, countries.Get(alpha3)?.Name ?? alpha3);

    /// <summary>type= takes agreementType and eventType codes alike (the two lists share no code).</summary>
    private static void Types(ListFilters filters, string? raw, CodeListCatalog codes)
    {
        if (raw is null)
        {
            return;
        }
        if (!FilterValue.TryParse(raw, allowRange: false, out var value, out var error))
        {
            filters.Error("type", error!);
            return;
        }
        var items = value switch { FilterValue.AnyOf any => any.Values, FilterValue.NoneOf none => none.Values, _ => [] };
        var bad = items.Where(t => !codes.Contains("agreementType", t) && !codes.Contains("eventType", t)).ToList();
        if (bad.Count > 0)
        {
            filters.Error("type", $"'{string.Join(", ", bad)}' is neither an agreementType nor an eventType code.");
            return;
        }
        filters.Sql.AddValue("x.Type", value!, v => v);
    }
}

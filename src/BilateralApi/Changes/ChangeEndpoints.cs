using System.ComponentModel;
using System.Globalization;
using BilateralApi.Agreements;
using BilateralApi.Claims;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Querying;
using BilateralApi.Sources;
using BilateralApi.TradeRecords;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace BilateralApi.Changes;

/// <summary>The change feed across resources and the stored versions of one record.</summary>
public static class ChangeEndpoints
{
    /// <summary>The resources whose writes are logged: path segment and the singular used in operation ids.</summary>
    public static readonly (string Resource, string Name, string Example)[] Resources =
    [
        (SourceRepository.Resource, "Source", "seed-article"),
        (AgreementRepository.Resource, "Agreement", "az-il-education-programme-2023-2026"),
        (EventRepository.Resource, "Event", "barak-8-iskander-interception-baku-2020-11"),
        (ClaimRepository.Resource, "Claim", "seed-article-israel-oil-share-40"),
        (TradeRecordRepository.Resource, "TradeRecord", "1"),
    ];

    public static RouteGroupBuilder MapChanges(this RouteGroupBuilder v1)
    {
        v1.MapGet("/changes", Feed).WithName("listChanges").WithListETag().WithTags("Changes")
            .WithSummary("The change feed")
            .WithDescription("Every create, update and delete across sources, agreements, events, claims and trade records, oldest first. "
                + "A delete is a tombstone (no data). Poll with since= the last seq you processed; page.next continues a long feed.");
        foreach (var (resource, name, example) in Resources)
        {
            v1.MapGet($"/{resource}/{{id}}/history", (
                    [Description("Record id.")] string id,
                    [AsParameters] ChangeQuery query, ChangeRepository changes, HttpContext http, CancellationToken cancellationToken) =>
                    History(resource, id, query, changes, http, cancellationToken))
                .WithName($"get{name}History").WithListETag()
                .AnswersProblem(StatusCodes.Status404NotFound, "Not found: no record with this id was ever stored (code notFound).").WithTags("Changes").WithMetadata(new ParameterExample("id", example))
                .WithSummary($"Stored versions of one {name switch { "TradeRecord" => "trade record", _ => name.ToLowerInvariant() }}")
                .WithDescription($"Every version of the record in /v1/{resource}/{{id}}, oldest first, as it was stored, including a deletion (tombstone) and versions from before it. Example id: {example}.");
        }
        return v1;
    }

    public static async Task<Results<Ok<ListPage<ChangeEntry>>, ValidationProblem>> Feed(
        [AsParameters] ChangeQuery query, [AsParameters] ChangeFeedFilter filter, ChangeRepository changes, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TryParse(query, out var afterSeq, out var fromTime, out var limit, out var problem))
        {
            return problem!;
        }
        if (filter.Resource is not null && !Resources.Any(r => r.Resource == filter.Resource))
        {
            return Problems.Parameter("resource", $"'{filter.Resource}' is not a logged resource: use one of {string.Join(", ", Resources.Select(r => r.Resource))}.");
        }
        var rows = await changes.FeedAsync(afterSeq, fromTime, filter.Resource, limit, cancellationToken);
        return TypedResults.Ok(Page(http, rows, limit));
    }

    public static async Task<Results<Ok<ListPage<ChangeEntry>>, ValidationProblem, ProblemHttpResult>> History(
        string resource, string id, ChangeQuery query, ChangeRepository changes, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TryParse(query, out var afterSeq, out var fromTime, out var limit, out var problem))
        {
            return problem!;
        }
        var rows = await changes.HistoryAsync(resource, id, afterSeq, fromTime, limit, cancellationToken);
        return rows is null
            ? Problems.Create(404, Problems.NotFound, "Not found", $"No record /v1/{resource}/{id} was ever stored.")
            : TypedResults.Ok(Page(http, rows, limit));
    }

    private static bool TryParse(ChangeQuery query, out long afterSeq, out string fromTime, out int limit, out ValidationProblem? problem)
    {
        afterSeq = 0;
        fromTime = "";
        limit = PageParameters.DefaultLimit;
        problem = null;
        if (!PageParameters.TryParseLimit(query.Limit, out limit, out var limitError))
        {
            problem = Problems.Parameter("limit", limitError!);
            return false;
        }
        if (query.Since is { } since)
        {
            if (long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                afterSeq = seq;
            }
            else if (since.Length >= 10 && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
            {
                fromTime = Clock.Format(instant);
            }
            else
            {
                problem = Problems.Parameter("since", $"'{since}' is neither a seq (a whole number) nor a UTC timestamp such as 2026-11-28T10:00:00Z.");
                return false;
            }
        }
        return true;
    }

    private static ListPage<ChangeEntry> Page(HttpContext http, List<ChangeRow> rows, int limit)
    {
        var hasMore = rows.Count > limit;
        var items = rows.Take(limit).Select(r => r.ToResponse()).ToList();
        string? nextCursor = null;
        string? next = null;
        if (hasMore)
        {
            // The feed's position is the seq itself (since=), not an opaque cursor: clients may store it.
            nextCursor = items[^1].Seq.ToString(CultureInfo.InvariantCulture);
            next = PageLinks.Next(http, "since", nextCursor);
        }
        return new ListPage<ChangeEntry>(items, new PageInfo(limit, nextCursor, next));
    }
}

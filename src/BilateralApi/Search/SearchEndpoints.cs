using System.ComponentModel;
using System.Globalization;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Querying;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Search;

/// <summary>One hit of GET /v1/search.</summary>
[Description("A record whose text matches the search: what it is, its id, a title, the matching passage and a link to it.")]
public sealed record SearchHit(
    [property: Description("agreement, event, source or claim.")] string Kind,
    [property: Description("The record's id.")] string Id,
    [property: Description("Title (a claim's text; a source's title, or its id when it has none).")] string Title,
    [property: Description("The best-matching passage, matches between [ and ].")] string? Snippet,
    [property: Description("Relevance rank, lower is better; only comparable within one search, and its scale depends on the server's store.")] double Rank,
    [property: Description("Relative URL of the record.")] string Href);

public sealed class SearchQuery
{
    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "q"), Description("Words to find (all must occur); with searchMode=raw, a query in that syntax.")]
    [Example("embassy Tel Aviv")]
    public string? Q { get; set; }

    [FromQuery(Name = "searchMode"), Description("plain (default): words matched literally; raw: query syntax (AND, OR, NOT, \"phrases\", prefix*, parentheses).")]
    [Example("plain")]
    public string? SearchMode { get; set; }

    [FromQuery(Name = "kind"), Description("Only these kinds: agreement, event, source, claim (comma-separated).")]
    [Example("agreement,event")]
    public string? Kind { get; set; }
}

public static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearch(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/search").WithTags("Search");
        group.MapGet("/", Search).WithName("search").WithListETag()
            .WithSummary("Search agreements, events, sources and claims")
            .WithDescription("Full-text search (case and diacritics ignored) across the curated records, best matches first (relevance rank, then kind and id). Each hit says what it is and links to it. Keyset-paginated like every list. A search over its time budget is stopped: 503 queryTimeout with Retry-After.")
            .AnswersProblem(StatusCodes.Status503ServiceUnavailable, QueryBudget.TimeoutDescription);
        return group;
    }

    public static async Task<Results<Ok<ListPage<SearchHit>>, ValidationProblem, ProblemHttpResult>> Search(
        [AsParameters] SearchQuery query, [AsParameters] PageParameters paging,
        IListExecutor executor, CursorKeys cursorKeys, QueryBudget budget, HttpContext http, CancellationToken cancellationToken)
    {
        var planned = ListPlanner.PlanSearch(query.Q, query.SearchMode, query.Kind, paging, await cursorKeys.GetAsync(cancellationToken));
        if (planned.Problem is { } problem)
        {
            return problem;
        }
        var plan = planned.Plan!;
        IReadOnlyList<SearchRow> rows;
        try
        {
            rows = await executor.SearchAsync(plan, cancellationToken);
        }
        catch (QueryTimeoutException)
        {
            return budget.TimeoutProblem(http);
        }
        catch (InvalidRawSearchException)
        {
            return FullText.InvalidRawSyntax();
        }
        string? nextCursor = null, next = null;
        if (rows.Count > plan.Limit)
        {
            var last = rows[plan.Limit - 1];
            nextCursor = Cursor.Encode([last.Rank, last.Kind, last.Id], plan.Fingerprint, plan.CursorKey);
            next = PageLinks.Next(http, "cursor", nextCursor);
        }
        var hits = rows.Take(plan.Limit).Select(r => new SearchHit(r.Kind, r.Id, r.Title, r.Snippet, r.Rank, $"/v1/{Path(r.Kind)}/{r.Id}")).ToList();
        return TypedResults.Ok(new ListPage<SearchHit>(hits, new PageInfo(plan.Limit, nextCursor, next)));
    }

    private static string Path(string kind) => kind switch
    {
        "agreement" => "agreements",
        "event" => "events",
        "source" => "sources",
        _ => "claims",
    };
}

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
    [property: Description("FTS5 bm25 rank: lower is better.")] double Rank,
    [property: Description("Relative URL of the record.")] string Href);

public sealed class SearchQuery
{
    [System.ComponentModel.DataAnnotations.Required, FromQuery(Name = "q"), Description("Words to find (all must occur); with searchMode=raw, an FTS5 query.")]
    [Example("embassy Tel Aviv")]
    public string? Q { get; set; }

    [FromQuery(Name = "searchMode"), Description("plain (default): words matched literally; raw: FTS5 syntax (OR, NOT, \"phrases\", prefix*).")]
    [Example("plain")]
    public string? SearchMode { get; set; }

    [FromQuery(Name = "kind"), Description("Only these kinds: agreement, event, source, claim (comma-separated).")]
    [Example("agreement,event")]
    public string? Kind { get; set; }
}

public static class SearchEndpoints
{
    private static readonly string[] Kinds = ["agreement", "event", "source", "claim"];

    private const string Union = """
        SELECT 'agreement' AS Kind, a.id AS Id, a.title AS Title, snippet(agreement_fts, -1, '[', ']', '…', 12) AS Snippet, bm25(agreement_fts) AS Rank
        FROM agreement_fts JOIN agreement a ON a.id = agreement_fts.id WHERE agreement_fts MATCH @q AND 'agreement' IN @kinds
        UNION ALL
        SELECT 'event', e.id, e.title, snippet(event_fts, -1, '[', ']', '…', 12), bm25(event_fts)
        FROM event_fts JOIN event e ON e.id = event_fts.id WHERE event_fts MATCH @q AND 'event' IN @kinds
        UNION ALL
        SELECT 'source', s.id, COALESCE(s.title, s.id), snippet(source_fts, -1, '[', ']', '…', 12), bm25(source_fts)
        FROM source_fts JOIN source s ON s.id = source_fts.id WHERE source_fts MATCH @q AND 'source' IN @kinds
        UNION ALL
        SELECT 'claim', c.id, c.text, snippet(claim_fts, -1, '[', ']', '…', 12), bm25(claim_fts)
        FROM claim_fts JOIN claim c ON c.id = claim_fts.id WHERE claim_fts MATCH @q AND 'claim' IN @kinds
        """;

    private sealed class HitRow
    {
        public string Kind { get; set; } = "";
        public string Id { get; set; } = "";
        public string Title { get; set; } = "";
        public string? Snippet { get; set; }
        public double Rank { get; set; }
    }

    public static RouteGroupBuilder MapSearch(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/search").WithTags("Search");
        group.MapGet("/", Search).WithName("search").WithListETag()
            .WithSummary("Search agreements, events, sources and claims")
            .WithDescription("Full-text search (SQLite FTS5, diacritics ignored) across the curated records, best matches first (bm25 rank, then kind and id). Each hit says what it is and links to it. Keyset-paginated like every list. A search over its time budget is stopped: 503 queryTimeout with Retry-After.")
            .AnswersProblem(StatusCodes.Status503ServiceUnavailable, QueryBudget.TimeoutDescription);
        return group;
    }

    public static async Task<Results<Ok<ListPage<SearchHit>>, ValidationProblem, ProblemHttpResult>> Search(
        [AsParameters] SearchQuery query, [AsParameters] PageParameters paging,
        SqliteConnectionFactory connections, CursorKeys cursorKeys, QueryBudget budget, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? match = null;
        if (string.IsNullOrWhiteSpace(query.Q) || query.Q.Length > FullText.MaxLength)
        {
            errors["q"] = [$"Give 1 to {FullText.MaxLength} characters to search for."];
        }
        else
        {
            match = query.SearchMode switch
            {
                null or "plain" => FullText.Escape(query.Q),
                "raw" => query.Q,
                _ => null,
            };
            if (match is null)
            {
                errors["searchMode"] = ["Allowed: plain, raw."];
            }
        }
        var kinds = query.Kind?.Split(',', StringSplitOptions.TrimEntries) ?? Kinds;
        if (kinds.Any(k => !Kinds.Contains(k)))
        {
            errors["kind"] = [$"Allowed: {string.Join(", ", Kinds)}."];
        }
        if (!PageParameters.TryParseLimit(paging.Limit, out var limit, out var limitError))
        {
            errors["limit"] = [limitError!];
        }
        var fingerprint = Cursor.Fingerprint("search", [new("q", query.Q), new("searchMode", query.SearchMode), new("kind", query.Kind)]);
        var key = await cursorKeys.GetAsync(cancellationToken);
        object?[]? after = null;
        if (paging.Cursor is not null)
        {
            if (Cursor.TryDecode(paging.Cursor, fingerprint, key, out var values, out var error) && values is [double or long, string, string])
            {
                after = values;
            }
            else
            {
                errors["cursor"] = [error ?? Cursor.NotIssued];
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors, Problems.InvalidParameter, "One or more query parameters are invalid; see 'errors'.");
        }
        var sql = $"SELECT Kind, Id, Title, Snippet, Rank FROM ({Union}) "
            + (after is null ? "" : "WHERE (Rank > @rank OR (Rank = @rank AND (Kind > @kind OR (Kind = @kind AND Id > @id)))) ")
            + "ORDER BY Rank, Kind, Id LIMIT @take";
        var parameters = new { q = match, kinds, take = limit + 1, rank = after is null ? 0d : Convert.ToDouble(after[0], CultureInfo.InvariantCulture), kind = after?[1], id = after?[2] };
        List<HitRow> rows;
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            rows = await budget.Begin().Run(connection, async () =>
                (await connection.QueryAsync<HitRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList(), cancellationToken);
        }
        catch (QueryTimeoutException)
        {
            return budget.TimeoutProblem(http);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (query.SearchMode == "raw" && FullText.IsSyntaxError(ex))
        {
            return FullText.InvalidRawSyntax();
        }
        string? nextCursor = null, next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1];
            nextCursor = Cursor.Encode([last.Rank, last.Kind, last.Id], fingerprint, key);
            next = PageLinks.Next(http, "cursor", nextCursor);
        }
        var hits = rows.Take(limit).Select(r => new SearchHit(r.Kind, r.Id, r.Title, r.Snippet, r.Rank, $"/v1/{Path(r.Kind)}/{r.Id}")).ToList();
        return TypedResults.Ok(new ListPage<SearchHit>(hits, new PageInfo(limit, nextCursor, next)));
    }

    private static string Path(string kind) => kind switch
    {
        "agreement" => "agreements",
        "event" => "events",
        "source" => "sources",
        _ => "claims",
    };
}

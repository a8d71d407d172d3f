using System.ComponentModel;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Querying;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.CodeLists;

public static class CodeListEndpoints
{
    public static RouteGroupBuilder MapCodeLists(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/codelists").WithTags("Reference data");
        group.MapGet("/", List).WithName("listCodeLists")
            .WithSummary("List the code lists")
            .WithDescription("Every controlled vocabulary the API uses (event types, contexts, sectors, agreement types and statuses, subjects, trade flows, transport modes, …) with its size, in the page envelope of every list (ordered by name; limit, cursor; format=csv|ndjson for all of them).");
        group.MapGet("/{name}", Get).WithName("getCodeList")
            .WithSummary("Get a code list")
            .WithDescription("All entries of one list with labels and descriptions; eventType entries carry the PLOVER quad, default intensity and CAMEO root.");
        return group;
    }

    public static async Task<Results<PageOrExport<CodeListSummary>, ValidationProblem>> List(
        [AsParameters] PageParameters paging,
        [FromQuery(Name = "format"), Description("json (default), csv or ndjson: csv and ndjson give every list (no page limit). Accept: text/csv or application/x-ndjson does the same."), Example("csv")] string? format,
        CodeListCatalog catalog, CountryCatalog countries, CursorKeys cursorKeys, HttpContext http, CancellationToken cancellationToken)
    {
        // A few dozen names held in memory: the page envelope, cursor and export of every list, without SQL.
        var filters = new ListFilters(countries, catalog);
        var listFormat = ListQuery.Format(http, format, filters);
        if (!PageRequest.TryCreate(paging, Cursor.Fingerprint("codelists", []), await cursorKeys.GetAsync(cancellationToken), out var page, out var error))
        {
            filters.Error(error!.Value.Parameter, error.Value.Message);
        }
        if (page.After is not null && page.After.Length != 1)
        {
            filters.Error("cursor", "The cursor is not one this API issued.");
        }
        if (!filters.IsValid)
        {
            return filters.Problem();
        }
        var after = page.After?[0];
        var summaries = catalog.ListNames.Order(StringComparer.Ordinal)
            .Where(name => after is null || string.CompareOrdinal(name, after) > 0)
            .Select(name => new CodeListSummary(name, catalog.Entries(name).Count, $"/v1/codelists/{name}"));
        if (listFormat != ListFormat.Json)
        {
            return new PageOrExport<CodeListSummary>(listFormat, "codelists", Batch(summaries.ToList()));
        }
        return new PageOrExport<CodeListSummary>(PageResults.Create(http, summaries.Take(page.Limit + 1).ToList(), page, s => [s.Name], s => s));
    }

    private static async IAsyncEnumerable<IReadOnlyList<CodeListSummary>> Batch(IReadOnlyList<CodeListSummary> all)
    {
        await Task.CompletedTask;
        yield return all;
    }

    public static Results<Ok<CodeListResponse>, ProblemHttpResult> Get(
        [Description("List name, e.g. eventType, subject, agreementStatus."), Example("eventType")] string name,
        CodeListCatalog catalog) =>
        catalog.Entries(name) is { Count: > 0 } entries
            ? TypedResults.Ok(new CodeListResponse(name, entries.Select(e => e.ToResponse()).ToList()))
            : Problems.Create(404, Problems.NotFound, "Not found", $"No code list is named '{name}'. Lists: {string.Join(", ", catalog.ListNames.Order(StringComparer.Ordinal))}.");
}

using System.ComponentModel;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Querying;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.CodeLists;

public static class CodeListEndpoints
{
    public static RouteGroupBuilder MapCodeLists(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/codelists").WithTags("Reference data");
        group.MapGet("/", List).WithName("listCodeLists").WithListETag().WithQueryFields(CodeListSql.Query)
            .WithSummary("List the code lists")
            .WithDescription("Every controlled vocabulary the API uses (event types, contexts, sectors, agreement types and statuses, subjects, trade flows, transport modes, …) with its size, ordered by name. " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(CodeListSql.Query).ExcludeFromDescription();
        group.MapGet("/{name}", Get).WithName("getCodeList").AnswersProblem(StatusCodes.Status404NotFound, "Not found: no entry has this code (code notFound).")
            .WithSummary("Get a code list")
            .WithDescription("All entries of one list with labels and descriptions; eventType entries carry the PLOVER quad, default intensity and CAMEO root.");
        return group;
    }

    public static async Task<Results<ListResult<CodeListSummary>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CodeListCatalog catalog, CountryCatalog countries, HttpContext http, CancellationToken cancellationToken) =>
        await ListQuery.RunAsync<CodeListRow, CodeListSummary>(http, CodeListSql.Query, new ListFilters(countries, catalog), list, paging,
            r => new CodeListSummary(r.Name, (int)r.Count, $"/v1/codelists/{r.Name}"), null, cancellationToken);

    public sealed class CodeListRow
    {
        public string Name { get; set; } = "";
        public long Count { get; set; }
    }

    public static Results<Ok<CodeListResponse>, ProblemHttpResult> Get(
        [Description("List name, e.g. eventType, subject, agreementStatus."), Example("eventType")] string name,
        CodeListCatalog catalog) =>
        catalog.Entries(name) is { Count: > 0 } entries
            ? TypedResults.Ok(new CodeListResponse(name, entries.Select(e => e.ToResponse()).ToList()))
            : Problems.Create(404, Problems.NotFound, "Not found", $"No code list is named '{name}'. Lists: {string.Join(", ", catalog.ListNames.Order(StringComparer.Ordinal))}.");
}

using System.ComponentModel;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.CodeLists;

public static class CodeListEndpoints
{
    public static RouteGroupBuilder MapCodeLists(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/codelists").WithTags("Reference data");
        group.MapGet("/", List).WithName("listCodeLists")
            .WithSummary("List the code lists")
            .WithDescription("Every controlled vocabulary the API uses (event types, contexts, sectors, agreement types and statuses, subjects, trade flows, transport modes, …) with its size.");
        group.MapGet("/{name}", Get).WithName("getCodeList")
            .WithSummary("Get a code list")
            .WithDescription("All entries of one list with labels and descriptions; eventType entries carry the PLOVER quad, default intensity and CAMEO root.");
        return group;
    }

    public static Ok<IReadOnlyList<CodeListSummary>> List(CodeListCatalog catalog) =>
        TypedResults.Ok<IReadOnlyList<CodeListSummary>>(catalog.ListNames.Order(StringComparer.Ordinal)
            .Select(name => new CodeListSummary(name, catalog.Entries(name).Count, $"/v1/codelists/{name}")).ToList());

    public static Results<Ok<CodeListResponse>, ProblemHttpResult> Get(
        [Description("List name, e.g. eventType, subject, agreementStatus."), Example("eventType")] string name,
        CodeListCatalog catalog) =>
        catalog.Entries(name) is { Count: > 0 } entries
            ? TypedResults.Ok(new CodeListResponse(name, entries.Select(e => e.ToResponse()).ToList()))
            : Problems.Create(404, Problems.NotFound, "Not found", $"No code list is named '{name}'. Lists: {string.Join(", ", catalog.ListNames.Order(StringComparer.Ordinal))}.");
}

using System.ComponentModel;
using System.Text.Json;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Import;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Infrastructure.Security;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Querying;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Sources;

public static class SourceEndpoints
{
    private const string Resource = "source";

    public static RouteGroupBuilder MapSources(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/sources").WithTags("Sources");

        group.MapGet("/", List).WithQueryFields(SourceSql.Query).WithName("listSources").WithListETag()
            .WithSummary("List sources")
            .WithDescription("Where the facts come from: publisher, title, URL, dates, licence and reliability. Ordered by id; keyset-paginated. " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(SourceSql.Query).ExcludeFromDescription();
        group.MapGet("/{id}", Get).WithName("getSource").WithConditionalGet().ProducesItem()
            .WithSummary("Get a source")
            .WithDescription("One source with its ETag; If-None-Match with that ETag answers 304.");
        // Writes: an API key with the write scope, the write budget, the ordinary body limit.
        var writes = group.MapGroup("").RequireScope(ApiScopes.Write).WithRateBudget(RateBudget.Writes).WithBodyLimit(BodyLimit.Standard).ProducesStoreBusy();
        writes.MapPost("/", Create).WithName("createSource").WithIdempotency().ProducesCreated()
            .WithSummary("Create a source")
            .WithDescription("Creates a source. Without an id in the body the server derives one from the title.")
            .WithValidation<SourceWrite>();
        writes.MapPut("/{id}", Put).WithName("putSource").RequiresIfMatch(createOnlyWithIfNoneMatch: true).ProducesWritten(creates: true)
            .WithSummary("Create or replace a source")
            .WithDescription("Creates the source with this id, or replaces it. Replacing needs If-Match with the current ETag; If-None-Match: * means create only.")
            .WithValidation<SourceWrite>();
        writes.MapPatch("/{id}", Patch).WithName("patchSource").RequiresIfMatch().ProducesPatched()
            .WithSummary("Change fields of a source")
            .WithDescription("JSON Merge Patch (RFC 7396): members given replace, null removes. Needs If-Match with the current ETag.")
            .Accepts<SourceWrite>(MergePatch.MediaType);
        writes.MapDelete("/{id}", Delete).WithName("deleteSource").RequiresIfMatch().ProducesDeleted()
            .WithSummary("Delete a source")
            .WithDescription("Deletes a source that no record cites any more. Needs If-Match with the current ETag.");
        // Bulk import: the import scope, the bulk budget, the import body limit.
        group.MapBundleImport("importSources", BundleImport.Sources)
            .RequireScope(ApiScopes.Import).WithRateBudget(RateBudget.Bulk).WithBodyLimit(BodyLimit.Import).WithIdempotency().ProducesStoreBusy();
        return group;
    }

    public static Task<Results<ListResult<SourceResponse>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] SourceListQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken) =>
        ListQuery.RunAsync(http, Listing, query, countries, codes, list, paging, cancellationToken);

    /// <summary>The list, declared once for the endpoint and the export command.</summary>
    public static readonly ListDefinition<SourceListQuery, SourceRow, SourceResponse> Listing = new(SourceSql.Query, Filters, r => r.ToResponse());

    private static void Filters(SourceListQuery query, ListFilters filters)
    {
        filters.Codes("type", query.Type, "type", "sourceType");
        filters.Codes("reliability", query.Reliability, "reliability", "reliability");
    }

    public static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> Get(
        [Description("Source id."), Example("seed-article")] string id,
        SourceRepository sources, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Get(http, await sources.GetAsync(id, cancellationToken), Resource, id, r => r.ToResponse());

    public static async Task<Results<Created<SourceResponse>, ProblemHttpResult>> Create(
        SourceWrite body, SourceRepository sources, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sources.CreateAsync(body, cancellationToken);
        return ItemResults.Created(http, result, Resource, body.Id ?? "", Location, r => r.ToResponse());
    }

    public static async Task<Results<Created<SourceResponse>, Ok<SourceResponse>, ProblemHttpResult>> Put(
        [Description("Source id."), Example("seed-article")] string id,
        SourceWrite body, SourceRepository sources, HttpContext http, CancellationToken cancellationToken)
    {
        if (ItemResults.CheckPutId(id, body.Id) is { } problem)
        {
            return problem;
        }
        var result = await sources.PutAsync(id, body, version => Preconditions.Evaluate(http.Request, version), cancellationToken);
        return ItemResults.Written(http, result, Resource, id, Location, r => r.ToResponse());
    }

    public static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> Patch(
        [Description("Source id."), Example("seed-article")] string id,
        JsonElement patch, SourceRepository sources, IValidator<SourceWrite> validator, HttpContext http, CancellationToken cancellationToken) =>
        await ItemResults.PatchAsync(http, patch, await sources.GetAsync(id, cancellationToken), Resource, id, validator,
            r => r.ToWrite(), (write, precondition) => sources.PutAsync(id, write, precondition, cancellationToken), r => r.ToResponse());

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        [Description("Source id."), Example("seed-article")] string id,
        SourceRepository sources, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Deleted(await sources.DeleteAsync(id, version => Preconditions.Evaluate(http.Request, version), cancellationToken), Resource, id);

    private static string Location(SourceRow row) => $"/v1/sources/{row.Id}";
}

using System.ComponentModel;
using System.Text.Json;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Import;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Infrastructure.Security;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Querying;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Agreements;

public static class AgreementEndpoints
{
    private const string Resource = "agreement";

    public static RouteGroupBuilder MapAgreements(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/agreements").WithTags("Agreements");

        group.MapGet("/", List).WithQueryFields(AgreementSql.Query).WithName("listAgreements").WithListETag()
            .WithSummary("List agreements")
            .WithDescription("Treaties, MoUs, programmes, licences and contracts with their parties, subjects, lifecycle dates and citations. Ordered by id unless sort= says otherwise; keyset-paginated; " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(AgreementSql.Query).ExcludeFromDescription();
        group.MapGet("/{id}", Get).WithName("getAgreement").WithConditionalGet().ProducesItem()
            .WithSummary("Get an agreement")
            .WithDescription("One agreement with its parties, subjects and citations, and its ETag; If-None-Match with that ETag answers 304.");
        // Writes: an API key with the write scope, the write budget, the ordinary body limit.
        var writes = group.MapGroup("").RequireScope(ApiScopes.Write).WithRateBudget(RateBudget.Writes).WithBodyLimit(BodyLimit.Standard).ProducesStoreBusy();
        writes.MapPost("/", Create).WithName("createAgreement").WithIdempotency().ProducesCreated()
            .WithSummary("Create an agreement")
            .WithDescription("Creates an agreement. Without an id the server derives one from the short title or title. At least two parties and one citation are required.")
            .WithValidation<AgreementWrite>();
        writes.MapPut("/{id}", Put).WithName("putAgreement").RequiresIfMatch(createOnlyWithIfNoneMatch: true).ProducesWritten(creates: true)
            .WithSummary("Create or replace an agreement")
            .WithDescription("Creates the agreement with this id, or replaces it whole (parties, subjects and citations included). Replacing needs If-Match with the current ETag; If-None-Match: * means create only.")
            .WithValidation<AgreementWrite>();
        writes.MapPatch("/{id}", Patch).WithName("patchAgreement").RequiresIfMatch().ProducesPatched()
            .WithSummary("Change fields of an agreement")
            .WithDescription("JSON Merge Patch (RFC 7396): members given replace (arrays replace whole), null removes. Needs If-Match with the current ETag.")
            .Accepts<AgreementWrite>(MergePatch.MediaType);
        writes.MapDelete("/{id}", Delete).WithName("deleteAgreement").RequiresIfMatch().ProducesDeleted()
            .WithSummary("Delete an agreement")
            .WithDescription("Deletes an agreement that no other agreement (as parent) or event (as related agreement) points at. Needs If-Match with the current ETag.");
        // Bulk import: the import scope, the bulk budget, the import body limit.
        group.MapBundleImport("importAgreements", BundleImport.Agreements)
            .RequireScope(ApiScopes.Import).WithRateBudget(RateBudget.Bulk).WithBodyLimit(BodyLimit.Import).WithIdempotency().ProducesStoreBusy();
        return group;
    }

    public static Task<Results<ListResult<AgreementResponse>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] AgreementListQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken) =>
        ListQuery.RunAsync(http, Listing, query, countries, codes, list, paging, cancellationToken);

    /// <summary>The list, declared once for the endpoint and the export command.</summary>
    public static readonly ListDefinition<AgreementListQuery, AgreementRow, AgreementResponse> Listing = new(AgreementSql.Query, Filters, r => r.ToResponse(), AgreementRepository.LoadChildrenAsync);

    private static void Filters(AgreementListQuery query, ListFilters filters)
    {
        filters.CountriesExist("country", query.Country, AgreementSql.PartyCountryIn);
        filters.Pair("pair", query.Pair, AgreementSql.PairBoth);
        filters.Codes("type", query.Type, "a.type", "agreementType");
        filters.Codes("status", query.Status, "a.status", "agreementStatus");
        filters.CodesExist("subject", query.Subject, AgreementSql.SubjectIn, "subject");
        filters.DateOverlap("signed", query.Signed, "a.signed_start", "a.signed_end");
        if (query.InForceOn is not null)
        {
            if (PartialDate.TryParse(query.InForceOn, out var day) && day.Value.Precision == PartialDate.Day)
            {
                filters.Sql.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, AgreementSql.InForceOn, filters.Sql.Param(query.InForceOn)));
            }
            else
            {
                filters.Error("inForceOn", "Use a day, YYYY-MM-DD.");
            }
        }
    }

    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> Get(
        [Description("Agreement id."), Example("az-il-education-programme-2023-2026")] string id,
        AgreementRepository agreements, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Get(http, await agreements.GetAsync(id, cancellationToken), Resource, id, r => r.ToResponse());

    public static async Task<Results<Created<AgreementResponse>, ProblemHttpResult>> Create(
        AgreementWrite body, AgreementRepository agreements, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Created(http, await agreements.CreateAsync(body, cancellationToken), Resource, body.Id ?? "", Location, r => r.ToResponse());

    public static async Task<Results<Created<AgreementResponse>, Ok<AgreementResponse>, ProblemHttpResult>> Put(
        [Description("Agreement id."), Example("az-il-education-programme-2023-2026")] string id,
        AgreementWrite body, AgreementRepository agreements, HttpContext http, CancellationToken cancellationToken)
    {
        if (ItemResults.CheckPutId(id, body.Id) is { } problem)
        {
            return problem;
        }
        var result = await agreements.PutAsync(id, body, version => Preconditions.Evaluate(http.Request, version), cancellationToken);
        return ItemResults.Written(http, result, Resource, id, Location, r => r.ToResponse());
    }

    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> Patch(
        [Description("Agreement id."), Example("az-il-education-programme-2023-2026")] string id,
        JsonElement patch, AgreementRepository agreements, IValidator<AgreementWrite> validator, HttpContext http, CancellationToken cancellationToken) =>
        await ItemResults.PatchAsync(http, patch, await agreements.GetAsync(id, cancellationToken), Resource, id, validator,
            r => r.ToWrite(), (write, precondition) => agreements.PutAsync(id, write, precondition, cancellationToken), r => r.ToResponse());

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        [Description("Agreement id."), Example("az-il-education-programme-2023-2026")] string id,
        AgreementRepository agreements, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Deleted(await agreements.DeleteAsync(id, version => Preconditions.Evaluate(http.Request, version), cancellationToken), Resource, id);

    private static string Location(AgreementRow row) => $"/v1/agreements/{row.Id}";
}

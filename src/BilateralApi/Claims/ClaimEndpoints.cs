using System.ComponentModel;
using System.Globalization;
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
using BilateralApi.TradeAnalytics;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Claims;

public static class ClaimEndpoints
{
    private const string Resource = "claim";

    public static RouteGroupBuilder MapClaims(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/claims").WithTags("Claims");

        group.MapGet("/", List).WithQueryFields(ClaimSql.Query).WithName("listClaims").WithListETag()
            .WithSummary("List claims")
            .WithDescription("Statistics as sources state them, with their citations. Filter by indicator, countries, flow, HS prefix, unit, qualifier, basis, period (overlap) and cited source. Ordered by id; keyset-paginated. " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(ClaimSql.Query).ExcludeFromDescription();
        group.MapGet("/{id}", Get).WithName("getClaim").WithConditionalGet().ProducesItem()
            .WithSummary("Get a claim")
            .WithDescription("One claim with its citations and its ETag; If-None-Match with that ETag answers 304.");
        // Writes: an API key with the write scope, the write budget, the ordinary body limit.
        var writes = group.MapGroup("").RequireScope(ApiScopes.Write).WithRateBudget(RateBudget.Writes).WithBodyLimit(BodyLimit.Standard).ProducesStoreBusy();
        writes.MapPost("/", Create).WithName("createClaim").WithIdempotency().ProducesCreated()
            .WithSummary("Create a claim")
            .WithDescription("Creates a claim. Without an id in the body the server derives one from the text. Values are exact decimal JSON numbers.")
            .WithValidation<ClaimWrite>();
        writes.MapPut("/{id}", Put).WithName("putClaim").RequiresIfMatch(createOnlyWithIfNoneMatch: true).ProducesWritten(creates: true)
            .WithSummary("Create or replace a claim")
            .WithDescription("Creates the claim with this id, or replaces it with its citations. Replacing needs If-Match with the current ETag; If-None-Match: * means create only.")
            .WithValidation<ClaimWrite>();
        writes.MapPatch("/{id}", Patch).WithName("patchClaim").RequiresIfMatch().ProducesPatched()
            .WithSummary("Change fields of a claim")
            .WithDescription("JSON Merge Patch (RFC 7396): members given replace, null removes; 'citations' is replaced as a whole. Needs If-Match with the current ETag.")
            .Accepts<ClaimWrite>(MergePatch.MediaType);
        writes.MapDelete("/{id}", Delete).WithName("deleteClaim").RequiresIfMatch().ProducesDeleted()
            .WithSummary("Delete a claim")
            .WithDescription("Deletes a claim and its citations. Needs If-Match with the current ETag.");
        group.MapGet("/{id}/check", Check).WithName("checkClaim")
            .WithSummary("Check a claim against the trade data")
            .WithDescription("Recomputes the claimed indicator (import/export partner share, trade value, turnover, supplier rank) from the trade records for the claim's period, flow, HS code and basis, and returns the claimed value, the observed value with its numerator, denominator and the rows used, the tolerance the qualifier allows, and a verdict: consistent, inconsistent, or insufficientData with what is missing. Defaults the check had to assume (no period: the latest year reported; basis unknown: value; no HS code: TOTAL) are listed in 'notes'. See docs/analytics.md.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // Bulk import: the import scope, the bulk budget, the import body limit.
        group.MapBundleImport("importClaims", BundleImport.Claims)
            .RequireScope(ApiScopes.Import).WithRateBudget(RateBudget.Bulk).WithBodyLimit(BodyLimit.Import).WithIdempotency().ProducesStoreBusy();
        return group;
    }

    public static Task<Results<ListResult<ClaimResponse>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] ClaimListQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken) =>
        ListQuery.RunAsync(http, Listing, query, countries, codes, list, paging, cancellationToken);

    /// <summary>The list, declared once for the endpoint and the export command.</summary>
    public static readonly ListDefinition<ClaimListQuery, ClaimRow, ClaimResponse> Listing = new(ClaimSql.Query, Filters, r => r.ToResponse(), ClaimRepository.LoadCitationsAsync);

    private static void Filters(ClaimListQuery query, ListFilters filters)
    {
        filters.Codes("indicator", query.Indicator, "indicator", "claimIndicator");
        filters.Countries("reporter", query.Reporter, "reporter");
        filters.Countries("partner", query.Partner, "partner");
        filters.CountriesExist("country", query.Country, ClaimSql.CountryEitherSide);
        filters.Pair("pair", query.Pair, ClaimSql.PairBoth);
        filters.Codes("flow", query.Flow, "flow", "tradeFlow");
        filters.HsPrefixes("hs", query.Hs, ClaimSql.HsColumn);
        filters.Codes("unit", query.Unit, "unit", "claimUnit");
        filters.Codes("qualifier", query.Qualifier, "qualifier", "claimQualifier");
        filters.Codes("basis", query.Basis, "basis", "claimBasis");
        filters.DateOverlap("period", query.Period, "period_start", "period_end");
        SourceIds(filters, "sourceId", query.SourceId);
    }

    public static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> Get(
        [Description("Claim id."), Example("seed-article-israel-oil-share-40")] string id,
        ClaimRepository claims, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Get(http, await claims.GetAsync(id, cancellationToken), Resource, id, r => r.ToResponse());

    public static async Task<Results<Created<ClaimResponse>, ProblemHttpResult>> Create(
        ClaimWrite body, ClaimRepository claims, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await claims.CreateAsync(body, cancellationToken);
        return ItemResults.Created(http, result, Resource, body.Id ?? "", Location, r => r.ToResponse());
    }

    public static async Task<Results<Created<ClaimResponse>, Ok<ClaimResponse>, ProblemHttpResult>> Put(
        [Description("Claim id."), Example("seed-article-israel-oil-share-40")] string id,
        ClaimWrite body, ClaimRepository claims, HttpContext http, CancellationToken cancellationToken)
    {
        if (ItemResults.CheckPutId(id, body.Id) is { } problem)
        {
            return problem;
        }
        var result = await claims.PutAsync(id, body, version => Preconditions.Evaluate(http.Request, version), cancellationToken);
        return ItemResults.Written(http, result, Resource, id, Location, r => r.ToResponse());
    }

    public static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> Patch(
        [Description("Claim id."), Example("seed-article-israel-oil-share-40")] string id,
        JsonElement patch, ClaimRepository claims, IValidator<ClaimWrite> validator, HttpContext http, CancellationToken cancellationToken) =>
        await ItemResults.PatchAsync(http, patch, await claims.GetAsync(id, cancellationToken), Resource, id, validator,
            r => r.ToWrite(), (write, precondition) => claims.PutAsync(id, write, precondition, cancellationToken), r => r.ToResponse());

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        [Description("Claim id."), Example("seed-article-israel-oil-share-40")] string id,
        ClaimRepository claims, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Deleted(await claims.DeleteAsync(id, version => Preconditions.Evaluate(http.Request, version), cancellationToken), Resource, id);

    public static async Task<Results<Ok<ClaimCheckResponse>, ProblemHttpResult>> Check(
        [Description("Claim id."), Example("seed-article-israel-oil-share-40")] string id,
        ClaimRepository claims, ClaimChecker checker, CancellationToken cancellationToken)
    {
        if (await claims.GetAsync(id, cancellationToken) is not { } claim)
        {
            return Problems.NotFoundFor(Resource, id);
        }
        return TypedResults.Ok(await checker.CheckAsync(claim.ToResponse(), cancellationToken));
    }

    private static string Location(ClaimRow row) => $"/v1/claims/{row.Id}";

    /// <summary>sourceId=a,b / !a,b in the shared value grammar, matched through the claim's citations.</summary>
    private static void SourceIds(ListFilters filters, string parameter, string? raw)
    {
        if (raw is null)
        {
            return;
        }
        if (!FilterValue.TryParse(raw, allowRange: false, out var value, out var error))
        {
            filters.Error(parameter, error!);
            return;
        }
        var (ids, negate) = value switch
        {
            FilterValue.NoneOf none => (none.Values, true),
            FilterValue.AnyOf any => (any.Values, false),
            _ => ([], false),
        };
        var bad = ids.Where(id => !RuleExtensions.SlugPattern().IsMatch(id)).ToList();
        if (bad.Count > 0)
        {
            filters.Error(parameter, $"'{string.Join(", ", bad)}' is not a source id (3 to 100 characters a-z, 0-9 and '-').");
            return;
        }
        var clause = string.Format(CultureInfo.InvariantCulture, ClaimSql.CitesSource, filters.Sql.List(ids));
        filters.Sql.Add(negate ? $"NOT {clause}" : clause);
    }
}

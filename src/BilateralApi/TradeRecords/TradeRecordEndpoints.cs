using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Infrastructure.Security;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Querying;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.TradeRecords;

public static class TradeRecordEndpoints
{
    private const string Resource = "trade record";

    public static RouteGroupBuilder MapTradeRecords(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/trade-records").WithTags("Trade records");

        // {id:long}: a path that is not an integer id matches no route and is answered 404 problem+json.
        group.MapGet("/", List).WithQueryFields(TradeRecordSql.Query).WithName("listTradeRecords").WithListETag()
            .WithSummary("List trade records")
            .WithDescription("Reported trade figures, filtered per field (reporter, partner, country, pair, year, month, flow, hs prefix, transportMode, valueBasis, estimated, sourceId). Ordered by id; keyset-paginated. " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(TradeRecordSql.Query).ExcludeFromDescription();
        group.MapGet("/{id:long}", Get).WithName("getTradeRecord").WithConditionalGet().ProducesItem()
            .WithSummary("Get a trade record")
            .WithDescription("One trade record with its ETag; If-None-Match with that ETag answers 304.");
        // Writes: an API key with the write scope, the write budget, the ordinary body limit.
        var writes = group.MapGroup("").RequireScope(ApiScopes.Write).WithRateBudget(RateBudget.Writes).WithBodyLimit(BodyLimit.Standard).ProducesStoreBusy();
        writes.MapPost("/", Create).WithName("createTradeRecord").WithIdempotency().ProducesCreated()
            .WithSummary("Create a trade record")
            .WithDescription("Creates a trade record; the server assigns its integer id (the body has no id). A record with the same natural key (reporter, partner, year, month, flow, hs, transportMode) is a 409 conflict naming the existing id.")
            .WithValidation<TradeRecordWrite>();
        writes.MapPut("/{id:long}", Put).WithName("putTradeRecord").RequiresIfMatch().ProducesWritten(creates: false)
            .WithSummary("Replace a trade record")
            .WithDescription("Replaces an existing trade record; needs If-Match with the current ETag. PUT never creates (ids are assigned by the server: use POST), so an unknown id is 404. Changing the natural key onto another record's key is a 409 conflict.")
            .WithValidation<TradeRecordWrite>();
        writes.MapPatch("/{id:long}", Patch).WithName("patchTradeRecord").RequiresIfMatch().ProducesPatched()
            .WithSummary("Change fields of a trade record")
            .WithDescription("JSON Merge Patch (RFC 7396): members given replace, null removes (optional members become null, defaulted ones their default). Needs If-Match with the current ETag.")
            .Accepts<TradeRecordWrite>(MergePatch.MediaType);
        writes.MapDelete("/{id:long}", Delete).WithName("deleteTradeRecord").RequiresIfMatch().ProducesDeleted()
            .WithSummary("Delete a trade record")
            .WithDescription("Deletes a trade record. Needs If-Match with the current ETag.");
        // Bulk import: the import scope, the bulk budget, the import body limit.
        group.MapTradeRecordImport()
            .RequireScope(ApiScopes.Import).WithRateBudget(RateBudget.Bulk).WithBodyLimit(BodyLimit.Import).WithIdempotency().ProducesStoreBusy();
        return group;
    }

    public static Task<Results<ListResult<TradeRecordResponse>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] TradeRecordListQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken) =>
        ListQuery.RunAsync(http, Listing, query, countries, codes, list, paging, cancellationToken);

    /// <summary>The list, declared once for the endpoint and the export command.</summary>
    public static readonly ListDefinition<TradeRecordListQuery, TradeRecordRow, TradeRecordResponse> Listing = new(TradeRecordSql.Query, Filters, r => r.ToResponse());

    private static void Filters(TradeRecordListQuery query, ListFilters filters)
    {
        filters.Countries("reporter", query.Reporter, "reporter");
        filters.Countries("partner", query.Partner, "partner");
        filters.CountriesExist("country", query.Country, "(reporter IN {0} OR partner IN {0})");
        filters.Pair("pair", query.Pair, "((reporter = {0} AND partner = {1}) OR (reporter = {1} AND partner = {0}))");
        filters.Integers("year", query.Year, "year", TradeRecordWriteValidator.MinYear, TradeRecordWriteValidator.MaxYear);
        filters.Integers("month", query.Month, "month", 1, 12);
        filters.Codes("flow", query.Flow, "flow", "tradeFlow");
        filters.HsPrefixes("hs", query.Hs, "hs");
        // transport_mode is an integer column: its codes (known integers, checked against the code list) are compared as
        // integers; PostgreSQL has no implicit text = bigint (SQLite's column affinity would have converted them).
        filters.Codes("transportMode", query.TransportMode, "transport_mode", "transportMode", v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture));
        filters.Codes("valueBasis", query.ValueBasis, "value_basis", "valueBasis");
        filters.Boolean("estimated", query.Estimated, "estimated");
        filters.Ids("sourceId", query.SourceId, "source_id");
        filters.OneOf("classification", query.Classification, "classification", TradeClassifications.All);
        filters.OneOf("origin", query.Origin, "origin", TradeClassifications.Origins);
    }

    public static async Task<Results<Ok<TradeRecordResponse>, ProblemHttpResult>> Get(
        [Description("Trade record id (an integer)."), Example("1")] long id,
        TradeRecordRepository records, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Get(http, await records.GetAsync(id, cancellationToken), Resource, Key(id), r => r.ToResponse());

    public static async Task<Results<Created<TradeRecordResponse>, ProblemHttpResult>> Create(
        TradeRecordWrite body, TradeRecordRepository records, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await records.CreateAsync(body, cancellationToken);
        return result is { Status: WriteStatus.AlreadyExists, Row: { } existing }
            ? NaturalKeyConflict(existing)
            : ItemResults.Created(http, result, Resource, "", Location, r => r.ToResponse());
    }

    public static async Task<Results<Ok<TradeRecordResponse>, ProblemHttpResult>> Put(
        [Description("Trade record id (an integer)."), Example("1")] long id,
        TradeRecordWrite body, TradeRecordRepository records, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await records.ReplaceAsync(id, body, version => Preconditions.Evaluate(http.Request, version), cancellationToken);
        switch (result.Status)
        {
            case WriteStatus.Updated or WriteStatus.Unchanged:
                http.Response.Headers.ETag = Preconditions.ETagFor(result.Row!.Version);
                return TypedResults.Ok(result.Row.ToResponse());
            case WriteStatus.AlreadyExists:
                return NaturalKeyConflict(result.Row!);
            default:
                return ItemResults.Failure(result.Status, Resource, Key(id));
        }
    }

    public static async Task<Results<Ok<TradeRecordResponse>, ProblemHttpResult>> Patch(
        [Description("Trade record id (an integer)."), Example("1")] long id,
        JsonElement patch, TradeRecordRepository records, IValidator<TradeRecordWrite> validator, HttpContext http, CancellationToken cancellationToken)
    {
        // The shared PATCH flow maps write failures to problems by status alone; a natural-key clash is
        // caught here so that the answer names the other record, as POST and PUT do.
        TradeRecordRow? clash = null;
        var result = await ItemResults.PatchAsync(http, patch, await records.GetAsync(id, cancellationToken), Resource, Key(id), validator,
            r => r.ToWrite(),
            async (write, precondition) =>
            {
                var written = await records.ReplaceAsync(id, write, precondition, cancellationToken);
                clash = written.Status == WriteStatus.AlreadyExists ? written.Row : null;
                return written;
            },
            r => r.ToResponse());
        return clash is null ? result : NaturalKeyConflict(clash);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        [Description("Trade record id (an integer)."), Example("1")] long id,
        TradeRecordRepository records, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Deleted(await records.DeleteAsync(id, version => Preconditions.Evaluate(http.Request, version), cancellationToken), Resource, Key(id));

    private static ProblemHttpResult NaturalKeyConflict(TradeRecordRow existing)
    {
        var month = existing.Month is { } m ? m.ToString(CultureInfo.InvariantCulture) : "annual";
        var problem = Problems.Conflicting(
            $"Trade record {existing.Id} already has this natural key (reporter {existing.Reporter}, partner {existing.Partner}, year {existing.Year}, " +
            $"month {month}, flow {existing.Flow}, hs {existing.Hs}, transportMode {existing.TransportMode}). Change it instead: PUT or PATCH {Location(existing)}.");
        problem.ProblemDetails.Extensions["existingId"] = existing.Id;
        return problem;
    }

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Location(TradeRecordRow row) => $"/v1/trade-records/{Key(row.Id)}";
}

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

namespace BilateralApi.Events;

public static class EventEndpoints
{
    private const string Resource = "event";

    public static RouteGroupBuilder MapEvents(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/events").WithTags("Events");

        group.MapGet("/", List).WithQueryFields(EventSql.Query).WithName("listEvents").WithListETag()
            .WithSummary("List events")
            .WithDescription("Dated happenings between countries with their participants, PLOVER coding (type, mode, contexts, quad, intensity) and citations. Ordered by date (earliest day it can mean), then id; keyset-paginated. Date filters match by overlap, so date=2023 finds an event dated 'October 2023'. " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(EventSql.Query).ExcludeFromDescription();
        group.MapGet("/{id}", Get).WithName("getEvent").WithConditionalGet().ProducesItem()
            .WithSummary("Get an event")
            .WithDescription("One event with its participants, contexts, subjects and citations, and its ETag; If-None-Match with that ETag answers 304.");
        // Writes: an API key with the write scope, the write budget, the ordinary body limit.
        var writes = group.MapGroup("").RequireScope(ApiScopes.Write).WithRateBudget(RateBudget.Writes).WithBodyLimit(BodyLimit.Standard).ProducesStoreBusy();
        writes.MapPost("/", Create).WithName("createEvent").WithIdempotency().ProducesCreated()
            .WithSummary("Create an event")
            .WithDescription("Creates an event. Without an id in the body the server derives one from the title. Countries may be given as alpha-3, alpha-2 or numeric codes and are stored as alpha-3; the quad follows from the type, and an intensity of null takes the default of the mode or type.")
            .WithValidation<EventWrite>();
        writes.MapPut("/{id}", Put).WithName("putEvent").RequiresIfMatch(createOnlyWithIfNoneMatch: true).ProducesWritten(creates: true)
            .WithSummary("Create or replace an event")
            .WithDescription("Creates the event with this id, or replaces it with its participants, contexts, subjects and citations. Replacing needs If-Match with the current ETag; If-None-Match: * means create only.")
            .WithValidation<EventWrite>();
        writes.MapPatch("/{id}", Patch).WithName("patchEvent").RequiresIfMatch().ProducesPatched()
            .WithSummary("Change fields of an event")
            .WithDescription("JSON Merge Patch (RFC 7396): members given replace, null removes; lists (participants, contexts, subjects, citations) are replaced whole. The patch applies to the stored intensity override, so an event on the default intensity keeps following it. Needs If-Match with the current ETag.")
            .Accepts<EventWrite>(MergePatch.MediaType);
        writes.MapDelete("/{id}", Delete).WithName("deleteEvent").RequiresIfMatch().ProducesDeleted()
            .WithSummary("Delete an event")
            .WithDescription("Deletes an event with its participants and citations. Needs If-Match with the current ETag.");
        // Bulk import: the import scope, the bulk budget, the import body limit.
        group.MapBundleImport("importEvents", BundleImport.Events)
            .RequireScope(ApiScopes.Import).WithRateBudget(RateBudget.Bulk).WithBodyLimit(BodyLimit.Import).WithIdempotency().ProducesStoreBusy();
        return group;
    }

    public static Task<Results<ListResult<EventResponse>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] EventListQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken) =>
        ListQuery.RunAsync(http, Listing, query, countries, codes, list, paging, cancellationToken);

    /// <summary>The list, declared once for the endpoint and the export command.</summary>
    public static readonly ListDefinition<EventListQuery, EventRow, EventResponse> Listing = new(EventSql.Query, Filters, r => r.ToResponse(), (connection, rows, ct) => EventRepository.LoadChildrenAsync(connection, null, rows, ct));

    private static void Filters(EventListQuery query, ListFilters filters)
    {
        filters.CountriesExist("country", query.Country, EventSql.CountryFilter);
        filters.Pair("pair", query.Pair, EventSql.PairFilter);
        filters.Codes("type", query.Type, "e.type", "eventType");
        filters.Codes("mode", query.Mode, "e.mode", "eventMode");
        filters.Codes("subtype", query.Subtype, "e.subtype", "eventSubtype");
        filters.CodesExist("context", query.Context, EventSql.ContextFilter, "eventContext");
        filters.CodesExist("subject", query.Subject, EventSql.SubjectFilter, "subject");
        filters.Codes("verification", query.Verification, "e.verification", "verification");
        filters.Integers("quad", query.Quad, "e.quad", 1, 4);
        filters.DateOverlap("date", query.Date, "e.date_start", "e.date_end");
        filters.Ids("relatedAgreementId", query.RelatedAgreementId, "e.related_agreement_id");
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> Get(
        [Description("Event id."), Example("az-embassy-tel-aviv-opening-2023-03-29")] string id,
        EventRepository events, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Get(http, await events.GetAsync(id, cancellationToken), Resource, id, r => r.ToResponse());

    public static async Task<Results<Created<EventResponse>, ProblemHttpResult>> Create(
        EventWrite body, EventRepository events, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await events.CreateAsync(body, cancellationToken);
        return ItemResults.Created(http, result, Resource, body.Id ?? "", Location, r => r.ToResponse());
    }

    public static async Task<Results<Created<EventResponse>, Ok<EventResponse>, ProblemHttpResult>> Put(
        [Description("Event id."), Example("az-embassy-tel-aviv-opening-2023-03-29")] string id,
        EventWrite body, EventRepository events, HttpContext http, CancellationToken cancellationToken)
    {
        if (ItemResults.CheckPutId(id, body.Id) is { } problem)
        {
            return problem;
        }
        var result = await events.PutAsync(id, body, version => Preconditions.Evaluate(http.Request, version), cancellationToken);
        return ItemResults.Written(http, result, Resource, id, Location, r => r.ToResponse());
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> Patch(
        [Description("Event id."), Example("az-embassy-tel-aviv-opening-2023-03-29")] string id,
        JsonElement patch, EventRepository events, IValidator<EventWrite> validator, HttpContext http, CancellationToken cancellationToken) =>
        await ItemResults.PatchAsync(http, patch, await events.GetAsync(id, cancellationToken), Resource, id, validator,
            r => r.ToWrite(), (write, precondition) => events.PutAsync(id, write, precondition, cancellationToken), r => r.ToResponse());

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        [Description("Event id."), Example("az-embassy-tel-aviv-opening-2023-03-29")] string id,
        EventRepository events, HttpContext http, CancellationToken cancellationToken) =>
        ItemResults.Deleted(await events.DeleteAsync(id, version => Preconditions.Evaluate(http.Request, version), cancellationToken), Resource, id);

    private static string Location(EventRow row) => $"/v1/events/{row.Id}";
}

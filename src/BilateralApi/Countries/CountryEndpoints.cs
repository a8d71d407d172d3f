using System.ComponentModel;
using BilateralApi.CodeLists;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Querying;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Countries;

public static class CountryEndpoints
{
    public static RouteGroupBuilder MapCountries(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/countries").WithTags("Reference data");
        group.MapGet("/", List).WithQueryFields(CountrySql.Query).WithName("listCountries").WithListETag()
            .WithSummary("List countries")
            .WithDescription("ISO 3166-1 countries, former states used by trade statistics (historical) and WLD (World). Ordered by alpha-3 code. " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(CountrySql.Query).ExcludeFromDescription();
        group.MapGet("/{code}", Get).WithName("getCountry").AnswersProblem(StatusCodes.Status404NotFound, "Not found: no entry has this code (code notFound).")
            .WithSummary("Get a country")
            .WithDescription("One country by alpha-3, alpha-2 or numeric code; the answer always gives the canonical alpha-3.");
        return group;
    }

    public static Task<Results<ListResult<CountryResponse>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] CountryListQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken) =>
        ListQuery.RunAsync(http, Listing, query, countries, codes, list, paging, cancellationToken);

    /// <summary>The list, declared once for the endpoint and the export command.</summary>
    public static readonly ListDefinition<CountryListQuery, CountryRow, CountryResponse> Listing = new(CountrySql.Query, Filters, r => r.ToResponse());

    private static void Filters(CountryListQuery query, ListFilters filters)
    {
        filters.Countries("code", query.Code, "alpha3");
        switch (query.Historical)
        {
            case null:
                break;
            case "true" or "false":
                filters.Sql.Add($"historical = {filters.Sql.Param(query.Historical == "true" ? 1 : 0)}");
                break;
            default:
                filters.Error("historical", "Use true or false.");
                break;
        }
    }

    public static Results<Ok<CountryResponse>, ProblemHttpResult> Get(
        [Description("Country code: ISO 3166-1 alpha-3, alpha-2 or numeric (M49)."), Example("AZE")] string code,
        CountryCatalog countries) =>
        countries.TryResolve(code, out var alpha3) && countries.Get(alpha3) is { } row
            ? TypedResults.Ok(row.ToResponse())
            : Problems.Create(404, Problems.NotFound, "Not found", $"No country has the code '{code}' (alpha-3, alpha-2 or numeric).");
}

using System.ComponentModel;
using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Querying;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Commodities;

public static class CommodityEndpoints
{
    private static readonly string[] Levels = ["total", "chapter", "heading", "subheading"];

    public static RouteGroupBuilder MapCommodities(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/commodities").WithTags("Reference data");
        group.MapGet("/", List).WithQueryFields(CommoditySql.Query).WithName("listCommodities").WithListETag()
            .WithSummary("List HS commodity codes")
            .WithDescription("The HS hierarchy the store knows: TOTAL, chapters 01–97 and the headings the datasets use. Ordered by code. " + ListQuery.Description);
        group.MapMethods("/", [HttpMethods.Head], List).WithQueryFields(CommoditySql.Query).ExcludeFromDescription();
        group.MapGet("/{code}", Get).WithName("getCommodity").AnswersProblem(StatusCodes.Status404NotFound, "Not found: no entry has this code (code notFound).")
            .WithSummary("Get an HS code")
            .WithDescription("One HS code with its level, parent and description.");
        return group;
    }

    public static Task<Results<ListResult<CommodityResponse>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] CommodityListQuery query, [AsParameters] ListParameters list, [AsParameters] PageParameters paging,
        CountryCatalog countries, CodeListCatalog codes, HttpContext http, CancellationToken cancellationToken) =>
        ListQuery.RunAsync(http, Listing, query, countries, codes, list, paging, cancellationToken);

    /// <summary>The list, declared once for the endpoint and the export command.</summary>
    public static readonly ListDefinition<CommodityListQuery, CommodityRow, CommodityResponse> Listing = new(CommoditySql.Query, Filters, r => r.ToResponse());

    private static void Filters(CommodityListQuery query, ListFilters filters)
    {
        if (query.Level is not null)
        {
            var levels = query.Level.Split(',', StringSplitOptions.TrimEntries);
            if (levels.Any(l => !Levels.Contains(l)))
            {
                filters.Error("level", $"Use any of: {string.Join(", ", Levels)}.");
            }
            else
            {
                filters.Sql.Add($"level IN {filters.Sql.Param(levels)}");
            }
        }
        if (query.Parent is not null)
        {
            filters.Sql.Add($"parent = {filters.Sql.Param(query.Parent)}");
        }
        filters.HsPrefixes("hs", query.Hs, "code");
    }

    public static async Task<Results<Ok<CommodityResponse>, ProblemHttpResult>> Get(
        [Description("HS code or TOTAL."), Example("2709")] string code,
        IReadConnections connections, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CommodityRow>(new CommandDefinition(CommoditySql.GetByCode, new { code }, cancellationToken: cancellationToken));
        return row is null
            ? Problems.Create(404, Problems.NotFound, "Not found", $"No HS code '{code}' is known.")
            : TypedResults.Ok(row.ToResponse());
    }
}

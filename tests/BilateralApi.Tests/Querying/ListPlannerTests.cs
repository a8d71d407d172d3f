using System.Reflection;
using System.Text.Json;
using BilateralApi.Agreements;
using BilateralApi.Cli;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BilateralApi.Tests.Querying;

/// <summary>
/// The planner takes plain parameters (no request, no services, no database) and gives the plan every
/// caller runs: the HTTP list, the export command and /v1/search.
/// </summary>
public sealed class ListPlannerTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly byte[] Key = new byte[32];

    private PlanOutcome<ListPlan> Plan(ListParameters list, PageParameters paging, params KeyValuePair<string, string?>[] query)
    {
        var services = factory.Services;
        var countries = services.GetRequiredService<CountryCatalog>();
        var filters = new ListFilters(countries, services.GetRequiredService<CodeListCatalog>());
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var request = new ListRequest(list, paging, query, AgreementEndpoints.Listing.DeclaredNames);
        return ListPlanner.Plan<AgreementResponse>(request, AgreementSql.Query, filters, countries, json, Key);
    }

    [Fact]
    public void A_plan_is_made_from_plain_parameters()
    {
        var planned = Plan(new ListParameters { Filter = "type eq 'mou'", Sort = "-signed", Count = "exact", Format = "csv" }, new PageParameters { Limit = "5" },
            new("filter", "type eq 'mou'"), new("sort", "-signed"), new("id", "a-mou,another-mou"));

        Assert.Null(planned.Problem);
        var plan = planned.Plan!;
        Assert.Equal(5, plan.Limit);
        Assert.Equal(["signed", "id"], plan.Keys.Select(k => k.Name));
        Assert.True(plan.Keys[0].Descending && plan.Keys[1].Descending, "the id breaks ties in the direction of the last key");
        Assert.Equal(CountMode.Exact, plan.Count);
        Assert.Equal(ListFormat.Csv, plan.Format);
        Assert.Null(plan.After);
        // The filter= expression and the per-field parameter of the field map (id=) are both in the WHERE, values as parameters ('mou' and each id).
        Assert.Contains(" AND ", plan.Where, StringComparison.Ordinal);
        Assert.DoesNotContain("mou", plan.Where, StringComparison.Ordinal);
        Assert.Equal(3, plan.Sql.Parameters.ParameterNames.Count());
    }

    [Fact]
    public void Every_unusable_parameter_is_named_in_one_problem()
    {
        var planned = Plan(new ListParameters { Sort = "sined", Count = "all", Format = "xml" }, new PageParameters { Limit = "0", Cursor = "nonsense" });

        Assert.Null(planned.Plan);
        var errors = Assert.IsType<HttpValidationProblemDetails>(planned.Problem!.ProblemDetails).Errors;
        Assert.Equal(["count", "cursor", "format", "limit", "sort"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Did you mean 'signed'?", errors["sort"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_accept_header_chooses_the_format_only_without_format()
    {
        var services = factory.Services;
        var filters = new ListFilters(services.GetRequiredService<CountryCatalog>(), services.GetRequiredService<CodeListCatalog>());
        Assert.Equal(ListFormat.Ndjson, ListPlanner.Format(null, "application/x-ndjson", filters));
        Assert.Equal(ListFormat.Json, ListPlanner.Format("json", "text/csv", filters));
        Assert.True(filters.IsValid);
    }

    [Fact]
    public void A_search_plan_keeps_the_rules_of_every_list()
    {
        var planned = ListPlanner.PlanSearch("embassy", null, "agreement,event", new PageParameters { Limit = "501" }, Key);
        Assert.Equal(["limit"], planned.Problem!.ProblemDetails is HttpValidationProblemDetails p ? p.Errors.Keys : []);

        var plan = ListPlanner.PlanSearch("embassy", null, "agreement,event", new PageParameters(), Key).Plan!;
        Assert.Equal(PageParameters.DefaultLimit, plan.Limit);
        Assert.Equal(["agreement", "event"], plan.Kinds);
        Assert.False(plan.RawSearch);
    }

    /// <summary>The export command checks parameter names against the list's definition: it must declare what the HTTP handler declares.</summary>
    [Fact]
    public void Every_exported_list_declares_the_parameters_of_its_http_handler()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        foreach (var (name, list) in ExportCommand.Lists)
        {
            var endpoint = endpoints.Single(e => e.RoutePattern.RawText == $"/v1/{name}/"
                && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true);
            var handler = endpoint.Metadata.GetMetadata<MethodInfo>()!;
            Assert.Equal(FieldParameters.DeclaredNames(handler).Order(StringComparer.Ordinal), list.DeclaredNames.Order(StringComparer.Ordinal));
        }
    }
}

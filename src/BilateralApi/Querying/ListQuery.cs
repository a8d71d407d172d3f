using System.Data.Common;
using System.Reflection;
using System.Text.Json;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BilateralApi.Querying;

/// <summary>
/// The query language (docs/querying.md) over HTTP, for every list: reads the request into a
/// <see cref="ListRequest"/>, plans it with <see cref="ListPlanner"/>, runs the plan with the store's
/// <see cref="IListExecutor"/> and answers a page, a streamed export or a problem.
/// </summary>
public static class ListQuery
{
    /// <summary>The part of every list's description that explains the shared query language.</summary>
    public const string Description = "filter= expressions, q= full-text search (where the list has text), sort=, fields=, expand=, facet=, count= and streamed export with format=csv|ndjson work as in docs/querying.md. HEAD answers the same headers without a body. A query over its time budget is stopped: 503 queryTimeout with Retry-After. An export spends the bulk rate budget, and beyond the exports the server streams at once it is refused before any row: 503 exportsBusy with Retry-After.";

    /// <summary>A list declared once (<see cref="ListDefinition{TQuery, TRow, TItem}"/>): its per-field parameters, then the shared query language.</summary>
    public static Task<Results<ListResult<TItem>, ValidationProblem, ProblemHttpResult>> RunAsync<TQuery, TRow, TItem>(
        HttpContext http, ListDefinition<TQuery, TRow, TItem> definition, TQuery query, CountryCatalog countries, CodeListCatalog codes,
        ListParameters list, PageParameters paging, CancellationToken cancellationToken)
        where TQuery : new()
    {
        var filters = new ListFilters(countries, codes);
        definition.Filters(query, filters);
        return RunAsync(http, definition.Resource, filters, list, paging, definition.Rows, cancellationToken);
    }

    public static Task<Results<ListResult<TItem>, ValidationProblem, ProblemHttpResult>> RunAsync<TRow, TItem>(
        HttpContext http, QueryResource resource, ListFilters filters, ListParameters list, PageParameters paging,
        Func<TRow, TItem> map, Func<DbConnection, IReadOnlyList<TRow>, CancellationToken, Task>? loadChildren, CancellationToken cancellationToken) =>
        RunAsync(http, resource, filters, list, paging, new ListRows<TRow, TItem>(map, loadChildren), cancellationToken);

    private static async Task<Results<ListResult<TItem>, ValidationProblem, ProblemHttpResult>> RunAsync<TRow, TItem>(
        HttpContext http, QueryResource resource, ListFilters filters, ListParameters list, PageParameters paging,
        ListRows<TRow, TItem> rows, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var key = await services.GetRequiredService<CursorKeys>().GetAsync(cancellationToken);
        var planned = ListPlanner.Plan<TItem>(Request(http, list, paging), resource, filters, services.GetRequiredService<CountryCatalog>(), json, key);
        if (planned.Problem is { } problem)
        {
            return problem;
        }
        var plan = planned.Plan!;
        var executor = services.GetRequiredService<IListExecutor>();
        if (plan.Format != ListFormat.Json)
        {
            return new ListResult<TItem>(plan, json, null, executor.ExportAsync(plan, rows, json, cancellationToken));
        }
        try
        {
            return new ListResult<TItem>(plan, json, await executor.PageAsync(plan, rows, json, cancellationToken), null);
        }
        catch (QueryTimeoutException)
        {
            return services.GetRequiredService<QueryBudget>().TimeoutProblem(http);
        }
        catch (InvalidRawSearchException)
        {
            return FullText.InvalidRawSyntax();
        }
    }

    /// <summary>The request as the planner takes it: its query parameters, the names its handler declares, its Accept header.</summary>
    private static ListRequest Request(HttpContext http, ListParameters list, PageParameters paging)
    {
        var declared = http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } method ? FieldParameters.DeclaredNames(method) : null;
        var query = http.Request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString())).ToList();
        var accept = http.Request.Headers.Accept.ToString();
        return new ListRequest(list, paging, query, declared, accept);
    }

    /// <summary>
    /// Whether a list request asks for a CSV or NDJSON export (format=, else Accept), read before the
    /// request is validated: the rate limiter charges exports to the bulk budget (decision 0023).
    /// </summary>
    public static bool AsksForExport(HttpRequest request) =>
        !HttpMethods.IsHead(request.Method)
        && (request.Query.TryGetValue("format", out var format) ? format.ToString() is "csv" or "ndjson" : ListPlanner.FromAccept(request.Headers.Accept.ToString()) != ListFormat.Json);
}

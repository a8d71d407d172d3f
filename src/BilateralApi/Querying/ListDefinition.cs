using System.Data.Common;
using System.Reflection;
using System.Text.Json;
using BilateralApi.CodeLists;
using BilateralApi.Countries;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace BilateralApi.Querying;

/// <summary>What a list export outside HTTP ends with: 200 written, 400 a parameter is unusable, 503 stopped by the budget; and the messages of a problem.</summary>
public sealed record ListExportOutcome(int Status, IReadOnlyList<string> Messages);

/// <summary>A list the export command can run: named by its path segment under /v1.</summary>
public interface IExportableList
{
    QueryResource Resource { get; }

    /// <summary>The query parameter names the list declares itself (besides the per-field parameters of its field map).</summary>
    IReadOnlySet<string> DeclaredNames { get; }

    /// <summary>Every matching row as CSV or NDJSON (format=) on <paramref name="output"/>, from query parameters as the HTTP list takes them.</summary>
    Task<ListExportOutcome> ExportAsync(IServiceProvider services, IReadOnlyList<KeyValuePair<string, string>> query, Stream output, CancellationToken cancellationToken);
}

/// <summary>
/// One list, declared once in its slice: its field map, its own per-field parameters (<typeparamref name="TQuery"/>,
/// turned into conditions by <see cref="Filters"/>), and how rows become items. The HTTP handler and the export
/// command both run it through <see cref="ListPlanner"/> and the store's <see cref="IListExecutor"/>, so the
/// command gives the HTTP export's rows, columns and messages without an HTTP request (decision 0032).
/// </summary>
public sealed class ListDefinition<TQuery, TRow, TItem>(
    QueryResource resource, Action<TQuery, ListFilters> filters, Func<TRow, TItem> map,
    Func<DbConnection, IReadOnlyList<TRow>, CancellationToken, Task>? loadChildren = null) : IExportableList
    where TQuery : new()
{
    private static readonly Type[] ParameterTypes = [typeof(TQuery), typeof(ListParameters), typeof(PageParameters)];

    public QueryResource Resource { get; } = resource;

    public Action<TQuery, ListFilters> Filters { get; } = filters;

    public ListRows<TRow, TItem> Rows { get; } = new(map, loadChildren);

    /// <summary>The query parameter names the list declares itself: those of its handler's [AsParameters] classes.</summary>
    public IReadOnlySet<string> DeclaredNames { get; } = ParameterTypes.SelectMany(QueryProperties).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    public async Task<ListExportOutcome> ExportAsync(IServiceProvider services, IReadOnlyList<KeyValuePair<string, string>> query, Stream output, CancellationToken cancellationToken)
    {
        // The checks the HTTP pipeline makes before the handler: the strict-parameter filter, then binding.
        var allowed = DeclaredNames.Concat(FieldParameters.Generic(Resource, DeclaredNames).Select(f => f.Name)).ToHashSet(StringComparer.Ordinal);
        var given = query.GroupBy(q => q.Key, StringComparer.Ordinal).Select(g => (g.Key, new StringValues([.. g.Select(q => q.Value)])));
        if (StrictQueryFilter.Check(given, allowed) is { } refused)
        {
            return new(StatusCodes.Status400BadRequest, [$"{refused.Key}: {refused.Message}"]);
        }
        var values = query.ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase);

        var countries = services.GetRequiredService<CountryCatalog>();
        var list = Bind<ListParameters>(values);
        var filters = new ListFilters(countries, services.GetRequiredService<CodeListCatalog>());
        Filters(Bind<TQuery>(values), filters);
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var key = await services.GetRequiredService<CursorKeys>().GetAsync(cancellationToken);
        var request = new ListRequest(list, Bind<PageParameters>(values), [.. query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value))], DeclaredNames);
        var planned = ListPlanner.Plan<TItem>(request, Resource, filters, countries, json, key);
        if (planned.Problem is { } problem)
        {
            return new(StatusCodes.Status400BadRequest, Messages(problem.ProblemDetails));
        }
        var plan = planned.Plan!;
        var progress = new ExportWriter.ExportProgress();
        try
        {
            var batches = services.GetRequiredService<IListExecutor>().ExportAsync(plan, Rows, json, cancellationToken);
            await ExportWriter.WriteRowsAsync<TItem>(output, plan.Format, json, plan.Shaper.Fields, batches, null, progress, cancellationToken);
            return new(StatusCodes.Status200OK, []);
        }
        catch (QueryTimeoutException) when (!progress.Started)
        {
            return new(StatusCodes.Status503ServiceUnavailable, ["The export took longer than its time budget and was stopped."]);
        }
        catch (InvalidRawSearchException) when (!progress.Started)
        {
            return new(StatusCodes.Status400BadRequest, Messages(FullText.InvalidRawSyntax().ProblemDetails));
        }
    }

    /// <summary>A problem as a client reads it: one line per parameter message, else the detail.</summary>
    private static List<string> Messages(HttpValidationProblemDetails problem) =>
        problem.Errors.Count > 0 ? [.. problem.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))] : [problem.Detail ?? "The export failed."];

    private static IEnumerable<(string Name, PropertyInfo Property)> QueryProperties(Type type) =>
        from property in type.GetProperties()
        let fromQuery = property.GetCustomAttribute<FromQueryAttribute>()
        where fromQuery is not null
        select (fromQuery.Name ?? property.Name, property);

    /// <summary>Binds the [FromQuery] text properties as minimal APIs do: by name, an absent or empty value stays null.</summary>
    private static T Bind<T>(Dictionary<string, string> values) where T : new()
    {
        var bound = new T();
        foreach (var (name, property) in QueryProperties(typeof(T)))
        {
            if (values.TryGetValue(name, out var value) && value.Length > 0)
            {
                property.SetValue(bound, value);
            }
        }
        return bound;
    }
}

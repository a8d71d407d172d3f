using System.CommandLine;
using BilateralApi.Agreements;
using BilateralApi.Claims;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Querying;
using BilateralApi.Sources;
using BilateralApi.TradeRecords;
using Microsoft.Extensions.Options;

namespace BilateralApi.Cli;

/// <summary>
/// `export RESOURCE [name=value …] [--filter …] [--sort …] [--format csv|ndjson] [--db PATH]`: every
/// matching row of a list, streamed to standard output. The list's own definition (the one its HTTP
/// handler runs: per-field parameters, the strict-parameter check, the planner, the store's executor and
/// the CSV/NDJSON writer) runs without a server or an HTTP request, so the rows, columns and error
/// messages are exactly those of <c>GET /v1/RESOURCE?format=…</c>.
/// Exit codes: 0 written, 1 the query failed (e.g. over its time budget), 2 a parameter or the resource is unusable.
/// </summary>
public static class ExportCommand
{
    /// <summary>The lists on the query language, by the path segment under /v1.</summary>
    public static readonly IReadOnlyDictionary<string, IExportableList> Lists = new IExportableList[]
    {
        CountryEndpoints.Listing, CommodityEndpoints.Listing, SourceEndpoints.Listing, AgreementEndpoints.Listing,
        EventEndpoints.Listing, ClaimEndpoints.Listing, TradeRecordEndpoints.Listing,
    }.ToDictionary(l => l.Resource.Name, StringComparer.Ordinal);

    public static IReadOnlyList<string> Resources => [.. Lists.Keys];

    /// <summary>Parameters the command sets itself or that make no sense for a whole export.</summary>
    private static readonly string[] Reserved = ["format", "limit", "cursor", "count", "facet"];

    public static Command Create(Stream? output = null, TextWriter? error = null)
    {
        var resource = new Argument<string>("RESOURCE") { Description = "The list to export: " + string.Join(", ", Resources) + "." };
        resource.AcceptOnlyFromAmong([.. Resources]);
        var parameters = new Argument<string[]>("FILTERS")
        {
            Description = "Per-field parameters as name=value, with the value grammar of the HTTP list (e.g. reporter=AZE year=2020..2023 hs=27 flow=M,X).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var filter = new Option<string?>("--filter") { Description = "filter= expression, e.g. \"type eq 'mou' or status eq 'inForce'\"." };
        var sort = new Option<string?>("--sort") { Description = "sort= keys, e.g. -year,id (the id is always the final tie-breaker)." };
        var q = new Option<string?>("--q") { Description = "q= full-text search (lists with text fields)." };
        var fields = new Option<string?>("--fields") { Description = "fields= sparse fieldset: only these columns." };
        var expand = new Option<string?>("--expand") { Description = "expand= extra data, e.g. countryNames." };
        var format = new Option<string>("--format")
        {
            Description = "csv (default) or ndjson.",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "ndjson");
        var db = CliApp.DbOption();

        var command = new Command("export", "Write every matching row of a list to standard output as CSV or NDJSON, with the filters and columns of GET /v1/RESOURCE?format=csv|ndjson.")
        {
            resource, parameters, filter, sort, q, fields, expand, format, db,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var stderr = error ?? Console.Error;
            var query = new List<KeyValuePair<string, string>>();
            foreach (var pair in result.GetValue(parameters) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await stderr.WriteLineAsync($"'{pair}' is not a name=value parameter (e.g. reporter=AZE).");
                    return 2;
                }
                var name = pair[..equals];
                if (Reserved.Contains(name, StringComparer.Ordinal))
                {
                    await stderr.WriteLineAsync(name == "format"
                        ? "Give the format with --format csv|ndjson."
                        : $"{name}: an export writes every matching row; paging and count parameters do not apply.");
                    return 2;
                }
                query.Add(new(name, pair[(equals + 1)..]));
            }
            foreach (var (name, option) in new[] { ("filter", filter), ("sort", sort), ("q", q), ("fields", fields), ("expand", expand) })
            {
                if (result.GetValue(option) is { } value)
                {
                    query.Add(new(name, value));
                }
            }
            query.Add(new("format", result.GetValue(format)!));
            var dbPath = result.GetValue(db) ?? Environment.GetEnvironmentVariable("BILATERAL_DB");
            return await RunAsync(result.GetValue(resource)!, query, dbPath, output, stderr, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string resource, IReadOnlyList<KeyValuePair<string, string>> query, string? dbPath,
        Stream? output, TextWriter error, CancellationToken cancellationToken)
    {
        List<string> hostArgs = [.. CliApp.QuietLogging, "--Logging:Console:LogToStandardErrorThreshold=Trace"];
        if (dbPath is not null)
        {
            hostArgs.Add($"--Database:Path={dbPath}");
        }
        await using var app = Program.Build([.. hostArgs]);
        var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (database.Location.Kind == StoreKind.Sqlite && !File.Exists(database.FullPath))
        {
            // Exporting never creates a database: a wrong path would otherwise print an empty file.
            await error.WriteLineAsync($"No database at {database.FullPath} (give --db PATH or set BILATERAL_DB).");
            return 2;
        }
        await Program.InitializeAsync(app.Services, cancellationToken);

        var stdout = output ?? Console.OpenStandardOutput();
        var outcome = await Lists[resource].ExportAsync(app.Services, query, stdout, cancellationToken);
        await stdout.FlushAsync(cancellationToken);
        foreach (var message in outcome.Messages)
        {
            await error.WriteLineAsync(message);
        }
        return outcome.Status switch
        {
            StatusCodes.Status200OK => 0,
            StatusCodes.Status400BadRequest => 2,
            _ => 1,
        };
    }
}

using System.CommandLine;
using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;

namespace BilateralApi.Cli;

/// <summary>
/// `export RESOURCE [name=value …] [--filter …] [--sort …] [--format csv|ndjson] [--db PATH]`: every
/// matching row of a list, streamed to standard output. The query goes through the list endpoint's own
/// request delegate (parameter binding, strict-parameter check, per-field filters, ListQuery and the
/// CSV/NDJSON writers of ListResult), invoked in process without a server, so the rows, columns and
/// error messages are exactly those of <c>GET /v1/RESOURCE?format=…</c>.
/// Exit codes: 0 written, 1 the query failed (e.g. over its time budget), 2 a parameter or the resource is unusable.
/// </summary>
public static class ExportCommand
{
    /// <summary>The lists on the query language, by the path segment under /v1.</summary>
    public static readonly IReadOnlyList<string> Resources = ["countries", "commodities", "sources", "agreements", "events", "claims", "trade-records"];

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
        var db = new Option<string?>("--db") { Description = "Path of the SQLite database file (default: env BILATERAL_DB, else bilateral.db)." };

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
        if (!File.Exists(database.FullPath))
        {
            // Exporting never creates a database: a wrong path would otherwise print an empty file.
            await error.WriteLineAsync($"No database at {database.FullPath} (give --db PATH or set BILATERAL_DB).");
            return 2;
        }
        await Program.InitializeAsync(app.Services, cancellationToken);

        var endpoint = ListEndpoint(app, resource);
        await using var scope = app.Services.CreateAsyncScope();
        var stdout = output ?? Console.OpenStandardOutput();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = cancellationToken };
        http.Request.Method = HttpMethods.Get;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Path = $"/v1/{resource}";
        http.Request.QueryString = QueryString.Create(query!);
        var body = new StatusGatedStream(http.Response, stdout);
        http.Response.Body = body;
        http.SetEndpoint(endpoint);
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));

        await endpoint.RequestDelegate!(http);
        await body.FlushAsync(cancellationToken);
        if (http.Response.StatusCode == StatusCodes.Status200OK)
        {
            return 0;
        }
        await WriteProblemAsync(body.Held, error);
        return http.Response.StatusCode == StatusCodes.Status400BadRequest ? 2 : 1;
    }

    private static RouteEndpoint ListEndpoint(WebApplication app, string resource)
    {
        var pattern = $"/v1/{resource}/";
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .First(e => e.RoutePattern.RawText == pattern
                && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true);
    }

    /// <summary>Prints a problem+json answer as the HTTP client would read it: the detail, then one line per parameter message.</summary>
    private static async Task WriteProblemAsync(byte[] problem, TextWriter error)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            var root = document.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var message in field.Value.EnumerateArray())
                    {
                        await error.WriteLineAsync($"{field.Name}: {message.GetString()}");
                    }
                }
            }
            else if (root.TryGetProperty("detail", out var detail))
            {
                await error.WriteLineAsync(detail.GetString());
            }
        }
        catch (JsonException)
        {
            await error.WriteLineAsync("The export failed.");
        }
    }

    /// <summary>
    /// Forwards the body to standard output only when the answer is 200; a problem answer is held so
    /// that it can be printed to standard error instead (problem bodies are small).
    /// </summary>
    private sealed class StatusGatedStream(HttpResponse response, Stream output) : Stream
    {
        private readonly MemoryStream _held = new();

        public byte[] Held => _held.ToArray();

        private Stream Target => response.StatusCode == StatusCodes.Status200OK ? output : _held;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => output.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Target.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => Target.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Target.WriteAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _held.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The served OpenAPI document is the contract: it must equal the committed copy and describe every
/// operation completely. Regenerate the copy with `dotnet run --project src/BilateralApi -- openapi`.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BilateralApi.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (BilateralApi.sln) was not found above the test binaries.");
    }

    private async Task<JsonNode> ServedAsync() =>
        JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;

    [Fact]
    public async Task Served_document_equals_the_committed_copy()
    {
        var served = await ServedAsync();
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "openapi", "bilateral-api.v1.json")))!;

        Assert.True(JsonNode.DeepEquals(served, committed),
            "openapi/bilateral-api.v1.json differs from the served document. Regenerate it from the repository root with: dotnet run --project src/BilateralApi -- openapi");
    }

    [Fact]
    public async Task Every_operation_has_an_id_summary_description_and_documented_parameters()
    {
        var document = await ServedAsync();
        var operationIds = new List<string>();
        var problems = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operationNode) in item!.AsObject())
            {
                var operation = operationNode!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                if (operation["operationId"]?.GetValue<string>() is { Length: > 0 } id)
                {
                    operationIds.Add(id);
                }
                else
                {
                    problems.Add($"{name}: no operationId");
                }
                if (operation["summary"] is null) problems.Add($"{name}: no summary");
                if (operation["description"] is null) problems.Add($"{name}: no description");
                foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                {
                    var parameterName = parameter!["name"]!.GetValue<string>();
                    if (parameter["description"] is null) problems.Add($"{name}: parameter {parameterName} has no description");
                    // Optional query parameters of reads give it in the description (Swagger UI would send it; decision 0020).
                    var optionalRead = method == "get" && parameter["in"]!.GetValue<string>() == "query" && parameter["required"]?.GetValue<bool>() != true && parameterName != "limit";
                    if (optionalRead
                        ? parameter["example"] is not null || !(parameter["description"]!.GetValue<string>() is var text
                            && (text.Contains($"Example: `{parameterName}=", StringComparison.Ordinal) || text.Contains("no field to facet on", StringComparison.Ordinal)))
                        : parameter["example"] is null)
                    {
                        problems.Add($"{name}: parameter {parameterName} has no example where it belongs");
                    }
                }
                foreach (var (status, response) in operation["responses"]!.AsObject())
                {
                    if (status[0] is '4' or '5' && response!["content"]?["application/problem+json"] is null)
                    {
                        problems.Add($"{name}: {status} is not application/problem+json");
                    }
                }
                if (operation["requestBody"]?["content"] is JsonObject content && content.Any(c => c.Value!["schema"] is not JsonObject { Count: > 0 }))
                {
                    problems.Add($"{name}: request body without schema");
                }
            }
        }

        Assert.Empty(problems);
        Assert.Equal(operationIds.Count, operationIds.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Write_schemas_carry_examples_that_are_valid_requests()
    {
        var schemas = (await ServedAsync())["components"]!["schemas"]!.AsObject();

        foreach (var name in new[] { "SourceWrite", "AgreementWrite", "EventWrite", "ClaimWrite", "TradeRecordWrite" })
        {
            Assert.True(schemas[name]?["example"] is JsonObject, $"{name} has no example");
        }
    }

    [Fact]
    public async Task A_lists_csv_and_ndjson_answers_are_text_streams_not_its_json_page()
    {
        var document = await ServedAsync();
        var lists = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            var content = item!["get"]?["responses"]?["200"]?["content"];
            if (content?["text/csv"] is null)
            {
                continue;
            }
            lists++;
            Assert.EndsWith("ListPage", content["application/json"]!["schema"]!["$ref"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("#/components/schemas/CsvExport", content["text/csv"]!["schema"]!["$ref"]!.GetValue<string>());
            Assert.Equal("#/components/schemas/NdjsonExport", content["application/x-ndjson"]!["schema"]!["$ref"]!.GetValue<string>());
        }
        Assert.True(lists >= 9, $"only {lists} lists offer CSV");
        foreach (var name in new[] { "CsvExport", "NdjsonExport" })
        {
            Assert.Equal("string", document["components"]!["schemas"]![name]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Error_schemas_declare_code_and_trace_id()
    {
        var schemas = (await ServedAsync())["components"]!["schemas"]!.AsObject();

        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            var properties = schemas[name]!["properties"]!.AsObject();
            Assert.True(properties.ContainsKey("code"), $"{name} lacks 'code'");
            Assert.True(properties.ContainsKey("traceId"), $"{name} lacks 'traceId'");
        }
    }
}

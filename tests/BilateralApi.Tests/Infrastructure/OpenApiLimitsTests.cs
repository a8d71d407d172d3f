using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BilateralApi.CodeLists;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Querying;
using BilateralApi.TradeRecords;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>The limits the document states are the ones the validators and the query layer enforce.</summary>
public sealed class OpenApiLimitsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonNode> SchemasAsync() =>
        JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!["components"]!["schemas"]!;

    private static int? Int(JsonNode? node) => node?.GetValue<int>();

    [Fact]
    public async Task String_lengths_come_from_the_validators()
    {
        var schemas = await SchemasAsync();
        // AgreementWriteValidator: IsRequiredText(2000); the event and source titles use TitleMaxLength.
        Assert.Equal(2000, Int(schemas["AgreementWrite"]!["properties"]!["title"]!["maxLength"]));
        Assert.Equal(2000, Int(schemas["AgreementResponse"]!["properties"]!["title"]!["maxLength"]));
        Assert.Equal(RuleExtensions.TitleMaxLength, Int(schemas["EventWrite"]!["properties"]!["title"]!["maxLength"]));
        Assert.Equal(RuleExtensions.TextMaxLength, Int(schemas["AgreementWrite"]!["properties"]!["notes"]!["maxLength"]));
        Assert.Equal(TradeRecordWriteValidator.QuantityUnitMaxLength, Int(schemas["TradeRecordWrite"]!["properties"]!["quantityUnit"]!["maxLength"]));
        Assert.Equal(RuleExtensions.TextPattern, schemas["AgreementWrite"]!["properties"]!["notes"]!["pattern"]!.GetValue<string>());
    }

    [Fact]
    public async Task Shared_rules_state_their_patterns()
    {
        var schemas = await SchemasAsync();
        Assert.Equal(RuleExtensions.SlugPattern().ToString(), schemas["AgreementWrite"]!["properties"]!["id"]!["pattern"]!.GetValue<string>());
        Assert.Equal(StringKind.Code.Pattern, schemas["AgreementWrite"]!["properties"]!["subjects"]!["items"]!["pattern"]!.GetValue<string>());
        Assert.Equal(StringKind.PartialDate.Pattern, schemas["SourceWrite"]!["properties"]!["publishedOn"]!["pattern"]!.GetValue<string>());
    }

    [Fact]
    public void Every_code_list_code_has_the_documented_shape()
    {
        var catalog = factory.Services.GetRequiredService<CodeListCatalog>();
        var pattern = new Regex(StringKind.Code.Pattern!);
        var codes = catalog.ListNames.SelectMany(catalog.Entries).Select(e => e.Code).ToList();
        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.True(pattern.IsMatch(code) && code.Length <= StringKind.CodeMaxLength, code));
        Assert.All(catalog.ListNames, list => Assert.True(catalog.Entries(list).Count <= StringKind.CodeListMaxEntries, list));
        Assert.All(catalog.ListNames.SelectMany(catalog.Entries), e => Assert.True(
            e.Label.Length <= RuleExtensions.NameMaxLength && (e.Description?.Length ?? 0) <= RuleExtensions.TextMaxLength, e.Code));
    }

    [Fact]
    public async Task Integer_ranges_come_from_the_validators()
    {
        var year = (await SchemasAsync())["TradeRecordWrite"]!["properties"]!["year"]!;
        Assert.Equal(TradeRecordWriteValidator.MinYear, Int(year["minimum"]));
        Assert.Equal(TradeRecordWriteValidator.MaxYear, Int(year["maximum"]));
    }

    [Fact]
    public async Task The_limit_parameter_allows_at_most_the_page_maximum()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;
        var limit = document["paths"]!["/v1/agreements"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!;
        Assert.Equal(PageParameters.MaxLimit, Int(limit["schema"]!["maximum"]));
        Assert.Equal(500, PageParameters.MaxLimit);
        Assert.Equal(1, Int(limit["schema"]!["minimum"]));
    }
}

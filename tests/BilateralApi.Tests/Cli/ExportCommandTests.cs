using System.CommandLine;
using System.Text;
using BilateralApi.Cli;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Cli;

/// <summary>
/// The export command runs in process against the factory's database (its file, or its PostgreSQL database in that pass); its output must be the
/// bytes the HTTP export gives for the same query, and its parameter errors the HTTP ones.
/// </summary>
public sealed class ExportCommandTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(int ExitCode, string Output, string Error)> ExportAsync(params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var root = new RootCommand { ExportCommand.Create(output, error) };
        var exitCode = await root.Parse(["export", .. args, "--db", factory.DatabaseLocation]).InvokeAsync();
        return (exitCode, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    [Fact]
    public async Task Csv_export_of_trade_records_with_per_field_filters_equals_the_http_export()
    {
        await ImportedTrade.EnsureAsync(factory);
        var http = await _client.GetStringAsync("/v1/trade-records?reporter=AZE&year=2020..2023&format=csv");
        var (exitCode, output, error) = await ExportAsync("trade-records", "reporter=AZE", "year=2020..2023", "--format", "csv");
        Assert.True(exitCode == 0, error);
        Assert.Equal(http, output);
        Assert.StartsWith("id,reporter,partner,year", output, StringComparison.Ordinal);
        Assert.True(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1, "the imported AZE trade records of 2022-2023");
    }

    [Fact]
    public async Task Field_parameters_of_the_field_map_work_as_arguments()
    {
        var http = await _client.GetStringAsync("/v1/sources?publisher=AzerNews&publishedOn=2023..2024&format=ndjson");
        var (exitCode, output, error) = await ExportAsync("sources", "publisher=AzerNews", "publishedOn=2023..2024", "--format", "ndjson");
        Assert.True(exitCode == 0, error);
        Assert.Equal(http, output);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("events", "type eq 'COOPERATE' or contains(title, 'embassy')", "-date")]
    [InlineData("agreements", "parties.country eq 'ISR'", "signed")]
    [InlineData("sources", null, "-publishedOn")]
    [InlineData("claims", null, null)]
    [InlineData("countries", "startswith(name, 'A')", null)]
    [InlineData("commodities", null, null)]
    public async Task Ndjson_export_with_filter_and_sort_equals_the_http_export(string resource, string? filter, string? sort)
    {
        var url = $"/v1/{resource}?format=ndjson";
        List<string> args = [resource, "--format", "ndjson"];
        if (filter is not null)
        {
            url += "&filter=" + Uri.EscapeDataString(filter);
            args.AddRange(["--filter", filter]);
        }
        if (sort is not null)
        {
            url += "&sort=" + Uri.EscapeDataString(sort);
            args.AddRange(["--sort", sort]);
        }
        var http = await _client.GetStringAsync(url);
        var (exitCode, output, error) = await ExportAsync([.. args]);
        Assert.True(exitCode == 0, error);
        Assert.Equal(http, output);
        Assert.NotEmpty(output);
    }

    [Fact]
    public async Task Csv_is_the_default_format()
    {
        var http = await _client.GetStringAsync("/v1/sources?format=csv&fields=id,title");
        var (exitCode, output, _) = await ExportAsync("sources", "--fields", "id,title");
        Assert.Equal(0, exitCode);
        Assert.Equal(http, output);
    }

    [Fact]
    public async Task A_bad_filter_exits_2_with_the_http_message_on_standard_error()
    {
        var problem = await (await _client.GetAsync("/v1/agreements?format=csv&filter=" + Uri.EscapeDataString("typo eq 'mou'")))
            .AssertProblemAsync(400, "invalidFilter");
        var (exitCode, output, error) = await ExportAsync("agreements", "--filter", "typo eq 'mou'");
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Equal($"filter: {problem.FieldErrors("filter").Single()}", error.Trim());
        Assert.Contains("Did you mean 'type'?", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yeer=2020", "yeer", "unknownParameter")]
    [InlineData("year=twenty", "year", "invalidParameter")]
    [InlineData("reporter=XXX", "reporter", "invalidParameter")]
    [InlineData("valueUsd=lots", "valueUsd", "invalidParameter")]
    public async Task Bad_per_field_parameters_exit_2_with_the_http_message(string pair, string parameter, string code)
    {
        var problem = await (await _client.GetAsync($"/v1/trade-records?format=csv&{pair}")).AssertProblemAsync(400, code);
        var (exitCode, output, error) = await ExportAsync("trade-records", pair);
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Equal($"{parameter}: {problem.FieldErrors(parameter).Single()}", error.Trim());
    }

    [Theory]
    [InlineData("reporter", "is not a name=value parameter")]
    [InlineData("limit=5", "paging and count parameters do not apply")]
    [InlineData("format=json", "--format")]
    public async Task Malformed_or_reserved_pairs_exit_2(string pair, string message)
    {
        var (exitCode, output, error) = await ExportAsync("trade-records", pair);
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_is_not_created()
    {
        var path = Path.Combine(Path.GetTempPath(), "bilateral-tests", Guid.NewGuid().ToString("N") + ".db");
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exitCode = await new RootCommand { ExportCommand.Create(output, error) }.Parse(["export", "events", "--db", path]).InvokeAsync();
        Assert.Equal(2, exitCode);
        Assert.Contains("No database", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }
}

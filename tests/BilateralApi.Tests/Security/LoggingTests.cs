using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BilateralApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BilateralApi.Tests.Security;

/// <summary>The application with its shipped configuration and a provider that keeps every log entry it is given.</summary>
public class CapturingLogApiFactory : ApiFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Text)> Entries { get; } = new();

    /// <summary>Every category a logger was asked for: the provider is wired in even where nothing reaches it.</summary>
    public ConcurrentDictionary<string, bool> Categories { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingProvider(Entries, Categories)));
    }

    private sealed class CapturingProvider(ConcurrentQueue<(string, LogLevel, string)> entries, ConcurrentDictionary<string, bool> categories) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName)
        {
            categories[categoryName] = true;
            return new CapturingLogger(categoryName, entries);
        }

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The formatted message, every structured value (a sink may write them separately) and the exception.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            entries.Enqueue((category, logLevel, $"{formatter(state, exception)} {values} {exception}"));
        }
    }
}

/// <summary>
/// The published build ships production logging defaults (appsettings.json beside the binary): no
/// per-request lines, and no API key in any log entry, whether sent in the query string (refused) or
/// in the Authorization or X-Api-Key header.
/// </summary>
public sealed class LoggingTests(CapturingLogApiFactory factory) : IClassFixture<CapturingLogApiFactory>
{
    [Fact]
    public void The_shipped_settings_sit_beside_the_binary_with_production_log_levels()
    {
        // The application's content root is its base directory (the published folder), where the build copies appsettings.json.
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        Assert.True(File.Exists(path), $"{path} is missing");
        var levels = JsonNode.Parse(File.ReadAllText(path))!["Logging"]!["LogLevel"]!;
        Assert.Equal("Warning", levels["Default"]!.GetValue<string>());
        Assert.Equal("Warning", levels["Microsoft.AspNetCore"]!.GetValue<string>());
        // "Now listening on …" and the other startup lines.
        Assert.Equal("Information", levels["Microsoft.Hosting.Lifetime"]!.GetValue<string>());

        var configuration = factory.Services.GetRequiredService<IConfiguration>();
        Assert.Equal("Warning", configuration["Logging:LogLevel:Default"]);
    }

    [Fact]
    public async Task No_api_key_reaches_the_log_and_requests_are_not_logged_one_by_one()
    {
        const string QuerySecret = "bk_querysecret0000_abcdefghijklmnopqrstuvwxyz";
        const string BearerSecret = "bk_bearersecret000_abcdefghijklmnopqrstuvwxyz";
        const string HeaderSecret = "bk_headersecret000_abcdefghijklmnopqrstuvwxyz";
        var writer = factory.CreateWriterClient();
        var validKey = writer.DefaultRequestHeaders.Authorization!.Parameter!;
        var client = factory.CreateClient();

        await client.GetAsync($"/v1/sources?api_key={QuerySecret}");
        await client.GetAsync($"/v1/sources?key={QuerySecret}");
        await client.GetAsync($"/v1/sources?limit=1&api_key={QuerySecret}");
        using (var bearer = new HttpRequestMessage(HttpMethod.Post, "/v1/sources") { Content = Json.Body(Bodies.Source("logging-bearer")) })
        {
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerSecret);
            await client.SendAsync(bearer);
        }
        using (var header = new HttpRequestMessage(HttpMethod.Delete, "/v1/sources/logging-header"))
        {
            header.Headers.Add("X-Api-Key", HeaderSecret);
            await client.SendAsync(header);
        }
        using (var both = new HttpRequestMessage(HttpMethod.Get, "/v1/sources"))
        {
            both.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerSecret);
            both.Headers.Add("X-Api-Key", HeaderSecret);
            await client.SendAsync(both);
        }
        await writer.PostAsync("/v1/sources", Json.Body(Bodies.Source("logging-valid-key")));
        await writer.GetAsync($"/v1/sources/logging-valid-key?api_key={validKey}");

        var entries = factory.Entries.ToList();
        // The provider serves the logger that writes a line per request, so silence below is the configuration, not an accident.
        Assert.True(factory.Categories.ContainsKey("Microsoft.AspNetCore.Hosting.Diagnostics"));
        foreach (var secret in new[] { QuerySecret, BearerSecret, HeaderSecret, validKey, "querysecret", "bearersecret", "headersecret" })
        {
            Assert.DoesNotContain(entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && e.Level < LogLevel.Warning);
    }
}

/// <summary>The application with a service that fails when a trade record is read: every such request is an unexpected error.</summary>
public sealed class FailingServiceLogApiFactory : CapturingLogApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<BilateralApi.TradeRecords.TradeRecordRepository>(
            _ => throw new InvalidOperationException("deliberately broken for the test")));
    }
}

/// <summary>A 500 says nothing about the inside, but its traceId finds the error in the server log (the shipped simple console format prints no scopes).</summary>
public sealed class ErrorLogTests(FailingServiceLogApiFactory factory) : IClassFixture<FailingServiceLogApiFactory>
{
    [Fact]
    public async Task The_log_line_of_an_unexpected_error_names_the_trace_id_the_answer_gives()
    {
        var response = await factory.CreateClient().GetAsync("/v1/trade-records/1");

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var traceId = problem["traceId"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(traceId));
        Assert.DoesNotContain("deliberately broken", problem.ToJsonString(), StringComparison.Ordinal);
        var error = Assert.Single(factory.Entries, e => e.Level == LogLevel.Error && e.Text.Contains("deliberately broken", StringComparison.Ordinal));
        Assert.Contains(traceId, error.Text.Split('\n')[0], StringComparison.Ordinal);
    }
}

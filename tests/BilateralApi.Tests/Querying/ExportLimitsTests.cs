using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Querying;

/// <summary>
/// The 200,000 generated trade records behind a real Kestrel server (a disconnect is a closed socket,
/// as a user's client would close it), with at most two exports at once and a bulk budget of three.
/// </summary>
public sealed class KestrelExportFactory : BudgetApiFactory
{
    public const int MaxConcurrentExports = 2;
    public const int BulkPermits = 3;

    /// <summary>Every row, 500 a batch: an export that runs to the end reads this many batches.</summary>
    public const int AllBatches = Rows / 500;

    public KestrelExportFactory() => UseKestrel(0);

    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Querying:MaxConcurrentExports", MaxConcurrentExports.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RateLimits:Bulk:PermitLimit", BulkPermits.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RateLimits:Bulk:WindowSeconds", "3600"),
    ];

    /// <summary>A client of the real server with a key of its own, so each test has budgets of its own.</summary>
    public HttpClient CreateKestrelClient()
    {
        var client = new HttpClient { BaseAddress = this.KestrelAddress() };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CreateKey("write"));
        return client;
    }

    public ExportGate Gate => Services.GetRequiredService<ExportGate>();

    public Task WhenNoExportRunsAsync() =>
        Eventually.TrueAsync(() => Gate.Running == 0, "An export was still running a minute after its client left.");
}

public sealed class ExportLimitsTests(KestrelExportFactory factory) : IClassFixture<KestrelExportFactory>, IAsyncLifetime
{
    // Matches no row (every generated record is an export, flow X): an export that costs nothing.
    private const string Empty = "/v1/trade-records?flow=M";

    public async Task InitializeAsync()
    {
        factory.StartServer();
        await factory.InitializeRowsAsync();
        await factory.WhenNoExportRunsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_client_that_disconnects_mid_export_leaves_no_export_running()
    {
        using var client = factory.CreateKestrelClient();
        var before = factory.Gate.BatchesRead;
        using (var response = await client.GetAsync("/v1/trade-records?format=csv", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[16 * 1024];
            await stream.ReadExactlyAsync(buffer);
            Assert.StartsWith("id,", System.Text.Encoding.UTF8.GetString(buffer), StringComparison.Ordinal);
            Assert.Equal(1, factory.Gate.Running);
        }
        // Disposing the unread response closed the connection: the server stops reading and writing.
        await factory.WhenNoExportRunsAsync();
        var read = factory.Gate.BatchesRead - before;
        Assert.True(read < KestrelExportFactory.AllBatches / 2, $"The abandoned export read {read} of {KestrelExportFactory.AllBatches} batches.");
    }

    [Fact]
    public async Task Exports_spend_the_bulk_budget_not_the_read_budget()
    {
        using var client = factory.CreateKestrelClient();
        var csv = await client.GetAsync(Empty + "&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(KestrelExportFactory.BulkPermits.ToString(System.Globalization.CultureInfo.InvariantCulture), csv.Headers.GetValues("RateLimit-Limit").Single());
        using var ndjson = new HttpRequestMessage(HttpMethod.Get, Empty);
        ndjson.Headers.Accept.ParseAdd("application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ndjson)).StatusCode);
        // The timeline's export too.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/dyads/AZE/ISR/timeline?format=csv")).StatusCode);

        var refused = await client.GetAsync(Empty + "&format=ndjson");
        await refused.AssertProblemAsync(429, "rateLimited");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // Pages of the same list still answer: they spend the read budget.
        var page = await client.GetAsync(Empty + "&format=json");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotEqual(KestrelExportFactory.BulkPermits.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Headers.GetValues("RateLimit-Limit").Single());
    }

    [Fact]
    public async Task An_export_beyond_the_concurrent_limit_is_a_503_with_retry_after_until_a_slot_frees()
    {
        using var client = factory.CreateKestrelClient();
        var running = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < KestrelExportFactory.MaxConcurrentExports; i++)
            {
                // Every row, left unread: each export holds its slot while it streams.
                var response = await client.GetAsync("/v1/trade-records?format=ndjson", HttpCompletionOption.ResponseHeadersRead);
                running.Add(response);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            Assert.Equal(KestrelExportFactory.MaxConcurrentExports, factory.Gate.Running);

            using var other = factory.CreateKestrelClient();
            var busy = await other.GetAsync(Empty + "&format=csv");
            var problem = await busy.AssertProblemAsync(503, ExportGate.BusyCode);
            Assert.Equal(TimeSpan.FromSeconds(ExportGate.RetryAfterSeconds), busy.Headers.RetryAfter?.Delta);
            Assert.Contains("exports", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            // A page of the same list is no export: it answers.
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(Empty)).StatusCode);
        }
        finally
        {
            running.ForEach(r => r.Dispose());
        }
        await factory.WhenNoExportRunsAsync();
        using var after = factory.CreateKestrelClient();
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync(Empty + "&format=csv")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Querying;

public sealed class QueryBudgetTests(BudgetApiFactory factory) : IClassFixture<BudgetApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = factory.CreateClient();

    // Matches no row and no index serves it: the page statement reads all 200,000 rows.
    private static readonly string NoMatch = "filter=" + Uri.EscapeDataString("contains(hs, 'x')");

    // Matches every row and no index serves it: counting them all is far over half the budget, while
    // the bounded count (10,001 rows) and the page (2 rows) are far under it.
    private static readonly string EveryRow = "filter=" + Uri.EscapeDataString("contains(valueBasis, 'FOB')");

    public Task InitializeAsync() => factory.InitializeRowsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_page_over_its_budget_is_a_503_query_timeout_with_retry_after()
    {
        var response = await _client.GetAsync($"/v1/trade-records?{NoMatch}");
        var problem = await response.AssertProblemAsync(503, QueryBudget.TimeoutCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        Assert.Contains("time budget", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_over_its_budget_is_a_503_before_any_row_is_sent()
    {
        var response = await _client.GetAsync($"/v1/trade-records?{NoMatch}&format=csv");
        await response.AssertProblemAsync(503, QueryBudget.TimeoutCode);
        Assert.Null(response.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task The_same_connection_answers_the_next_request_after_an_interrupt()
    {
        await (await _client.GetAsync($"/v1/trade-records?{NoMatch}")).AssertProblemAsync(503, QueryBudget.TimeoutCode);
        // Under the budget: a short page by the primary key, then a filter an index serves.
        var page = await _client.GetJsonAsync("/v1/trade-records?limit=3");
        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
        var year = await _client.GetJsonAsync("/v1/trade-records?year=2007&limit=3");
        Assert.All(year.GetProperty("items").EnumerateArray(), i => Assert.Equal(2007, i.GetProperty("year").GetInt32()));
        Assert.Equal(3, year.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_exact_count_over_its_share_of_the_budget_falls_back_to_a_flagged_lower_bound()
    {
        var response = await _client.GetAsync($"/v1/trade-records?{EveryRow}&limit=1&count=exact");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("page");
        Assert.Equal(ListPlan.EstimateCap, page.GetProperty("total").GetInt64());
        Assert.True(page.GetProperty("totalTruncated").GetBoolean());
        Assert.Equal(ListPlan.EstimateCap.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Total-Count").Single());
        Assert.True(page.TryGetProperty("nextCursor", out _));
    }

    [Fact]
    public async Task A_search_over_its_budget_is_a_503_query_timeout()
    {
        // Ranking 100,000 matching sources is far over the budget; a word that matches one of them is not.
        var response = await _client.GetAsync("/v1/search?q=pipeline");
        await response.AssertProblemAsync(503, QueryBudget.TimeoutCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        var one = await _client.GetJsonAsync("/v1/search?q=" + Uri.EscapeDataString("\"report 4242\""));
        Assert.Contains(one.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == "budget-search-104242");
    }

    [Fact]
    public async Task The_statements_of_one_request_share_one_budget()
    {
        // Each facet of one year (10,000 rows through ix_trade_record_year) is far under the budget; six of them are over it together.
        var one = await _client.GetAsync("/v1/trade-records?year=2007&limit=1&facet=flow");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var six = await _client.GetAsync("/v1/trade-records?year=2007&limit=1&facet=flow,reporter,partner,valueBasis,transportMode,estimated");
        await six.AssertProblemAsync(503, QueryBudget.TimeoutCode);
    }

    [Fact]
    public async Task An_exact_count_within_its_budget_is_exact()
    {
        // The same filter over one year (10,000 rows, served by ix_trade_record_year) counts in time.
        var page = (await _client.GetJsonAsync($"/v1/trade-records?{EveryRow}&year=2007&limit=1&count=exact")).GetProperty("page");
        Assert.Equal(BudgetApiFactory.Rows / 20, page.GetProperty("total").GetInt64());
        Assert.False(page.TryGetProperty("totalTruncated", out var truncated) && truncated.GetBoolean());
    }
}

/// <summary>
/// The same rows with a budget no test reaches and a lane of one slot for requests past 100 "milliseconds"
/// of <see cref="SteppingClock"/> (about 100,000 SQLite steps): a scan of all rows (about 800,000 steps)
/// is expensive, a page by the primary key or an index (a few thousand) is cheap.
/// </summary>
public sealed class LaneApiFactory : BudgetApiFactory
{
    protected override QueryBudget CreateBudget() =>
        new(TimeSpan.FromSeconds(100), new SteppingClock(), new QueryLane(1, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2)));
}

public sealed class QueryLaneTests(LaneApiFactory factory) : IClassFixture<LaneApiFactory>, IAsyncLifetime
{
    private static readonly string NoMatch = "filter=" + Uri.EscapeDataString("contains(hs, 'x')");

    public Task InitializeAsync() => factory.InitializeRowsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_expensive_query_waits_for_a_lane_slot_while_cheap_reads_answer()
    {
        var client = factory.CreateClient();
        var lane = factory.Services.GetRequiredService<QueryBudget>().Lane!;
        Task<HttpResponseMessage> expensive;
        // The test holds the only slot, as another expensive query would.
        using (await lane.EnterAsync(CancellationToken.None))
        {
            expensive = client.GetAsync($"/v1/trade-records?{NoMatch}");
            await Eventually.TrueAsync(() => lane.Waiting == 1 || expensive.IsCompleted, "The expensive query neither finished nor queued.");
            Assert.False(expensive.IsCompleted, "The expensive query ran without a lane slot.");

            var page = await client.GetJsonAsync("/v1/trade-records?limit=3");
            Assert.Equal(3, page.GetProperty("items").GetArrayLength());
            var year = await client.GetJsonAsync("/v1/trade-records?year=2007&limit=3");
            Assert.All(year.GetProperty("items").EnumerateArray(), i => Assert.Equal(2007, i.GetProperty("year").GetInt32()));
            var id = page.GetProperty("items")[0].GetProperty("id").GetInt64();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/trade-records/{id}")).StatusCode);

            Assert.False(expensive.IsCompleted, "The expensive query ran without a lane slot.");
            Assert.Equal(1, lane.Waiting);
        }
        // The slot is free: the expensive query runs again from the start, under what is left of its budget.
        var response = await expensive;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(0, body.GetProperty("items").GetArrayLength());
    }
}

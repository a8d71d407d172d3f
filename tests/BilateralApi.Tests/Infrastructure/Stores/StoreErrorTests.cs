using System.Text.Json;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary>
/// Each store's own errors (real ones, raised by the store) answer the same problem: the exception handler is run
/// directly, as the PostgreSQL store does not serve requests yet.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreErrorTests
{
    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_writer_refused_the_write_lock_answers_503_with_retry_after(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);

        var (status, retryAfter, code) = await HandleAsync(await store.RefusedWriteAsync());

        Assert.Equal(503, status);
        Assert.Equal("1", retryAfter);
        Assert.Equal(Problems.CodeFor(503), code);
    }

    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_duplicate_key_and_a_broken_reference_answer_409(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var connection = await store.Instance().OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO app_meta (key, value) VALUES ('k', 'v')");

        var duplicate = await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("INSERT INTO app_meta (key, value) VALUES ('k', 'w')"));
        var broken = await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync(
            "INSERT INTO commodity (code, level, parent, description) VALUES ('zz-child', 'x', 'zz-missing', 'd')"));

        Assert.Equal((409, null, Problems.CodeFor(409)), await HandleAsync(duplicate));
        Assert.Equal((409, null, Problems.CodeFor(409)), await HandleAsync(broken));
    }

    [SkippableFact]
    public async Task A_postgresql_statement_stopped_by_statement_timeout_answers_503_with_retry_after()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("SET statement_timeout = 50");

        var stopped = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("SELECT pg_sleep(5)"));

        Assert.Equal(PostgresErrorCodes.QueryCanceled, stopped.SqlState);
        Assert.Equal((503, "1", Problems.CodeFor(503)), await HandleAsync(stopped));
    }

    [Fact]
    public async Task An_error_that_is_no_store_error_still_answers_500()
    {
        Assert.Equal((500, null, Problems.CodeFor(500)), await HandleAsync(new InvalidOperationException("boom")));
    }

    /// <summary>The API's exception handler on a request of its own: the status, Retry-After and the problem's code.</summary>
    private static async Task<(int Status, string? RetryAfter, string? Code)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddApiProblemDetails().BuildServiceProvider();
        await using var _ = services;
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var handler = services.GetServices<IExceptionHandler>().OfType<ApiExceptionHandler>().Single();

        Assert.True(await handler.TryHandleAsync(http, exception, CancellationToken.None));

        http.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(http.Response.Body);
        var retryAfter = http.Response.Headers.RetryAfter;
        return (http.Response.StatusCode, retryAfter.Count == 0 ? null : retryAfter.ToString(), problem.RootElement.GetProperty("code").GetString());
    }
}

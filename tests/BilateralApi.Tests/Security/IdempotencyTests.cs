using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Security;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

public sealed class ManualClockApiFactory : ApiFactory
{
    public ManualTimeProvider Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class IdempotencyTests(ManualClockApiFactory factory) : IClassFixture<ManualClockApiFactory>
{
    private readonly HttpClient _client = factory.CreateWriterClient();

    private static HttpRequestMessage Post(string idempotencyKey, object body, string url = "/v1/sources")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json.Body(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await factory.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Fact]
    public async Task A_repeat_gets_the_stored_response_marked_as_replayed_and_writes_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Source(null, "Idempotent title one");

        var first = await _client.SendAsync(Post(key, body));
        var second = await _client.SendAsync(Post(key, body));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM source WHERE title = 'Idempotent title one'"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(Post(key, Bodies.Source(null, "Idempotent title two")))).StatusCode);

        var other = await _client.SendAsync(Post(key, Bodies.Source(null, "Idempotent title three")));

        await other.AssertProblemAsync(422, "idempotencyKeyMismatch");
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM source WHERE title = 'Idempotent title three'"));
    }

    [Fact]
    public async Task Keys_are_scoped_per_api_key()
    {
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Source(null, "Idempotent per key");
        var other = factory.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.CreateKey("write"));

        var mine = await _client.SendAsync(Post(key, body));
        var theirs = await other.SendAsync(Post(key, body));

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(mine.Headers.Location, theirs.Headers.Location);
    }

    [Fact]
    public async Task Failed_requests_are_stored_too_but_unauthorized_ones_never_touch_the_key()
    {
        var key = Guid.NewGuid().ToString();
        var invalid = new { id = "bad id!", type = "news" };

        var first = await _client.SendAsync(Post(key, invalid));
        var replay = await _client.SendAsync(Post(key, invalid));
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());

        var anonymous = await factory.CreateClient().SendAsync(Post(Guid.NewGuid().ToString(), Bodies.Source(null)));
        await anonymous.AssertProblemAsync(401, "unauthorized");
    }

    [Theory]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    public async Task A_malformed_key_is_400(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sources") { Content = Json.Body(Bodies.Source(null)) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key.Length == 0 ? new string('k', 256) : key);

        await (await _client.SendAsync(request)).AssertProblemAsync(400, "invalidParameter");
    }

    [Fact]
    public async Task Expired_keys_are_cleaned_up_and_may_be_used_again()
    {
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Source(null, "Idempotent expiring");
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(Post(key, body))).StatusCode);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM idempotency_record WHERE idempotency_key = @key", new { key }));

        factory.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(HttpStatusCode.Created, (await _client.SendAsync(Post(Guid.NewGuid().ToString(), Bodies.Source(null, "Idempotent cleaner")))).StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM idempotency_record WHERE idempotency_key = @key", new { key }));

        var again = await _client.SendAsync(Post(key, body));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM source WHERE title = 'Idempotent expiring'"));
    }
}

using System.Net;
using BilateralApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Security;

/// <summary>The application with an authentication handler provider that counts the handlers it hands out.</summary>
public sealed class CountingAuthenticationApiFactory : ApiFactory
{
    public int HandlersRequested => Counter.Count;

    private CountingHandlers Counter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(Counter);
            services.AddScoped<IAuthenticationHandlerProvider, CountingHandlerProvider>();
        });
    }

    public sealed class CountingHandlers
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    private sealed class CountingHandlerProvider(IAuthenticationSchemeProvider schemes, CountingHandlers counter) : IAuthenticationHandlerProvider
    {
        private readonly AuthenticationHandlerProvider _inner = new(schemes);

        public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
        {
            counter.Add();
            return _inner.GetHandlerAsync(context, authenticationScheme);
        }
    }
}

/// <summary>
/// A request that presents no key is anonymous without running authentication (nothing to check; this is
/// most of the public read traffic), while a request with a key, valid or not, is still authenticated.
/// </summary>
public sealed class AuthenticationCostTests(CountingAuthenticationApiFactory factory) : IClassFixture<CountingAuthenticationApiFactory>
{
    [Fact]
    public async Task Requests_without_a_key_skip_authentication_and_requests_with_one_do_not()
    {
        var anonymous = factory.CreateClient();
        var writer = factory.CreateWriterClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/countries/AZE")).StatusCode);
        var before = factory.HandlersRequested;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/countries/AZE")).StatusCode);
        }
        Assert.Equal(before, factory.HandlersRequested);

        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/v1/countries/AZE")).StatusCode);
        Assert.True(factory.HandlersRequested > before, "a request with a key was not authenticated");
        // Without a key a write is still challenged (401), through the same scheme.
        await (await anonymous.DeleteAsync("/v1/sources/nothing")).AssertProblemAsync(401, "unauthorized");
    }
}

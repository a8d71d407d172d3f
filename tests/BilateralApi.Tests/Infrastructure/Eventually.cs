using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure;

public static class KestrelFactories
{
    /// <summary>
    /// The address of a factory that called UseKestrel, for a plain HttpClient: the factory's own client
    /// buffers a request body before sending it (to replay it on redirects) and reads answers its own way,
    /// which would hide a trickling body or a closed socket from the server.
    /// </summary>
    public static Uri KestrelAddress(this WebApplicationFactory<Program> factory)
    {
        factory.StartServer();
        return new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}

/// <summary>Waits for a condition the server reaches on its own (an export ending, a query queueing), never for a fixed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string failure, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(1));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }
}

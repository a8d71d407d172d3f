namespace BilateralApi.Tests.Infrastructure;

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

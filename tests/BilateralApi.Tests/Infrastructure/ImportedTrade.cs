using BilateralApi.Tests.TradeAnalytics;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The seed holds no trade records: the trade table takes official statistical releases only, and the seed's
/// sources are news pages whose figures are claims. Tests of trade listings and exports on a seeded store
/// first make the import a user would make, once per database.
/// </summary>
public static class ImportedTrade
{
    /// <summary>Azerbaijan's exports of HS 27: two years to Israel and one World total (ids 1..3 on a fresh store).</summary>
    public static readonly Row[] Rows =
    [
        new(0, "AZE", "ISR", 2022, null, "X", "27", 0, 150_000_000_000, 2_200_000_000, "unknown"),
        new(0, "AZE", "ISR", 2023, null, "X", "27", 0, 50_000_000_000, 1_000_000_000, "unknown"),
        new(0, "AZE", "WLD", 2023, null, "X", "27", 0, 1_600_000_000_000, 26_000_000_000, "unknown"),
    ];

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task EnsureAsync(ApiFactory factory)
    {
        await Gate.WaitAsync();
        try
        {
            using var client = factory.CreateWriterClient();
            var page = await client.GetJsonAsync("/v1/trade-records?limit=1");
            if (page.GetProperty("items").GetArrayLength() == 0)
            {
                await GeneratedTrade.InsertAsync(client, factory, Rows);
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}

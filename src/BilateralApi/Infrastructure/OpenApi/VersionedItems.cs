namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Marks the route groups of curated, versioned records: their items carry ETags and take
/// conditional requests, which <see cref="ProblemResponsesFilter"/> then documents.
/// </summary>
public sealed class VersionedItems
{
    public static readonly VersionedItems Instance = new();

    private VersionedItems()
    {
    }
}

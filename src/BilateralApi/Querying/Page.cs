using System.ComponentModel;
using System.Text.Json.Serialization;

namespace BilateralApi.Querying;

/// <summary>The envelope of every list (docs/querying.md).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, PageInfo Page)
{
    [Description("Value counts over the whole filtered set, per field asked for with facet=; absent without facet=.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<FacetCount>>? Facets { get; init; }
}

[Description("Where this page sits: the limit used and, unless this is the last page, how to get the next one.")]
public sealed record PageInfo(
    [property: Description("The page size used.")] int Limit,
    [property: Description("Opaque cursor for the next page; absent on the last page."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor,
    [property: Description("Relative URL of the next page (same query, next cursor); absent on the last page."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next,
    [property: Description("Number of matching rows, when count=exact or count=estimate was asked for (also in X-Total-Count)."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Total = null,
    [property: Description("True when total is a lower bound: an exact count would have taken too long, or an estimate passed 10,000."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? TotalTruncated = null);

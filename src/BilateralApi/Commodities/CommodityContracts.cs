using System.ComponentModel;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Commodities;

public sealed class CommodityRow
{
    public string Code { get; set; } = "";
    public string Level { get; set; } = "";
    public string? Parent { get; set; }
    public string Description { get; set; } = "";

    public CommodityResponse ToResponse() => new(Code, Level, Parent, Description);
}

[Description("An HS code: TOTAL, a chapter (2 digits), heading (4) or subheading (6).")]
public sealed record CommodityResponse(
    [property: Description("HS code or TOTAL.")] string Code,
    [property: Description("total, chapter, heading or subheading.")] string Level,
    [property: Description("The code one level up; null for TOTAL.")] string? Parent,
    [property: Description("Official description.")] string Description);

public sealed class CommodityListQuery
{
    [FromQuery(Name = "level"), Description("total, chapter, heading or subheading (any of: a,b).")]
    [Example("chapter")]
    public string? Level { get; set; }

    [FromQuery(Name = "parent"), Description("Only the direct children of this code.")]
    [Example("27")]
    public string? Parent { get; set; }

    [FromQuery(Name = "hs"), Description("HS code prefixes (hs=27 finds 2709), any of: 27,93.")]
    [Example("27")]
    public string? Hs { get; set; }

    public IEnumerable<KeyValuePair<string, string?>> ForFingerprint() => [new("level", Level), new("parent", Parent), new("hs", Hs)];
}

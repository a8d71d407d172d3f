using System.ComponentModel;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Querying;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Sources;

/// <summary>The body of POST, PUT and PATCH (merge patch) of a source.</summary>
[Description("A source: where facts come from. POST may omit 'id' (the server derives one from the title); PUT takes the id from the path.")]
public sealed record SourceWrite(
    [property: Description("Slug id, ^[a-z0-9][a-z0-9-]{2,99}$. Optional on POST; on PUT it must equal the path id if given.")] string? Id,
    [property: Description("sourceType code (see /v1/codelists/sourceType).")] string? Type,
    [property: Description("Author, when the source names one.")] string? Author,
    [property: Description("Publisher or outlet.")] string? Publisher,
    [property: Description("Title as published; null when the source shows none (then url is required).")] string? Title,
    [property: Description("http(s) URL of the source, null when it has none.")] string? Url,
    [property: Description("Publication date: YYYY, YYYY-MM or YYYY-MM-DD; null when the source shows none.")] string? PublishedOn,
    [property: Description("Date the source was retrieved: YYYY, YYYY-MM or YYYY-MM-DD.")] string? RetrievedOn,
    [property: Description("reliability code: A official … D partisan, U unknown (see /v1/codelists/reliability).")] string? Reliability,
    [property: Description("Licence of the source text or data, when known.")] string? Licence,
    [property: Description("Free-text notes: date clues, caveats.")] string? Notes) : IWriteWithId
{
    public static SourceWrite Example => new(
        "trend-2023-03-29-embassy-opening", "news", null, "Trend News Agency",
        "Azerbaijan opens embassy in Israel", "https://en.trend.az/azerbaijan/politics/3729421.html",
        "2023-03-29", "2026-11-27", "B", null, null);
}

/// <summary>A source as served.</summary>
public sealed record SourceResponse(
    string Id,
    string Type,
    string? Author,
    string? Publisher,
    string? Title,
    string? Url,
    string? PublishedOn,
    string? RetrievedOn,
    string Reliability,
    string? Licence,
    string? Notes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>Filters of GET /v1/sources.</summary>
public sealed class SourceListQuery
{
    [FromQuery(Name = "type"), Description("sourceType codes: a,b (any of) or !a,b (none of).")]
    [Example("news,pressRelease")]
    public string? Type { get; set; }

    [FromQuery(Name = "reliability"), Description("reliability codes: a,b (any of) or !a,b (none of).")]
    [Example("A,B")]
    public string? Reliability { get; set; }

    public IEnumerable<KeyValuePair<string, string?>> ForFingerprint() =>
        [new("type", Type), new("reliability", Reliability)];
}

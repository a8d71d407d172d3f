using System.ComponentModel;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Sources;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Claims;

/// <summary>The body of POST, PUT and PATCH (merge patch) of a claim.</summary>
[Description("A claim: a statistic as a source states it, coded so that it can be checked against the trade data. POST may omit 'id' (the server derives one from the text); PUT takes the id from the path.")]
public sealed record ClaimWrite(
    [property: Description("Slug id, ^[a-z0-9][a-z0-9-]{2,99}$. Optional on POST; on PUT it must equal the path id if given.")] string? Id,
    [property: Description("The statistic in the source's own words, at most 2000 characters.")] string? Text,
    [property: Description("claimIndicator code: what is measured (see /v1/codelists/claimIndicator).")] string? Indicator,
    [property: Description("The country whose trade the figure describes (ISO 3166-1 alpha-3, alpha-2 or numeric; stored as alpha-3), or null.")] string? Reporter,
    [property: Description("The trade partner (ISO 3166-1 alpha-3, alpha-2 or numeric; stored as alpha-3), or null.")] string? Partner,
    [property: Description("tradeFlow code from the reporter's side: M import, X export, RM, RX; null when the claim does not say.")] string? Flow,
    [property: Description("HS code of the goods (TOTAL, 2, 4 or 6 digits), or null for all goods / not stated.")] string? Hs,
    [property: Description("The period the figure refers to, with its precision; null when the source gives none.")] DateValue? Period,
    [property: Description("The claimed value as an exact decimal JSON number (not a string). percent: 0..100; rank: a whole number from 1; usd, tonnes, kg: at least 0.")] decimal? Value,
    [property: Description("Upper bound when the source gives a range (\"18–19%\"): not less than 'value'; null otherwise.")] decimal? ValueTo,
    [property: Description("claimUnit code: percent, usd, tonnes, kg or rank.")] string? Unit,
    [property: Description("claimQualifier code: how the source hedges the value (exact, about, atLeast, atMost, moreThan, lessThan).")] string? Qualifier,
    [property: Description("claimBasis code: whether the figure rests on trade value, weight, or is unknown.")] string? Basis,
    [property: Description("Free-text notes: how the claim was coded, caveats.")] string? Notes,
    [property: Description("At least one citation: the sources that state the claim.")] IReadOnlyList<Citation>? Citations,
    [property: Description("A group of partners whose figure the source states combined (\"Kazakhstan and Azerbaijan\"), as ISO 3166-1 codes (stored as alpha-3, in the source's order), 2 to 50 of them; 'partner' is then null. Omitted or null for a claim about one partner. A group's figure is not any member's: partner= filters do not match it.")] IReadOnlyList<string>? Partners = null) : IWriteWithId
{
    public static ClaimWrite Example => new(
        "seed-article-israel-oil-share-40",
        "Around 40 percent of Israel's oil imports come from Azerbaijan",
        "importPartnerShare", "ISR", "AZE", "M", "27", null, 40m, null, "percent", "about", "unknown", null,
        [new Citation("seed-article", "paragraph 7", null, "asserts")]);
}

/// <summary>A claim as served.</summary>
public sealed record ClaimResponse(
    string Id,
    string Text,
    string Indicator,
    string? Reporter,
    string? Partner,
    [property: Description("The group of partners whose figure the source states combined; null for a claim about one partner (or none).")] IReadOnlyList<string>? Partners,
    string? Flow,
    string? Hs,
    DateValue? Period,
    decimal? Value,
    decimal? ValueTo,
    string Unit,
    string? Qualifier,
    string Basis,
    string? Notes,
    IReadOnlyList<Citation> Citations,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>Filters of GET /v1/claims.</summary>
public sealed class ClaimListQuery
{
    [FromQuery(Name = "indicator"), Description("claimIndicator codes: a,b (any of) or !a,b (none of).")]
    [Example("importPartnerShare,exportPartnerShare")]
    public string? Indicator { get; set; }

    [FromQuery(Name = "reporter"), Description("Reporter countries (alpha-3, alpha-2 or numeric): a,b (any of) or !a,b (none of).")]
    [Example("ISR")]
    public string? Reporter { get; set; }

    [FromQuery(Name = "partner"), Description("Partner countries (alpha-3, alpha-2 or numeric): a,b (any of) or !a,b (none of).")]
    [Example("AZE")]
    public string? Partner { get; set; }

    [FromQuery(Name = "country"), Description("Countries on either side (reporter or partner): a,b (any of) or !a,b (none of).")]
    [Example("AZE")]
    public string? Country { get; set; }

    [FromQuery(Name = "pair"), Description("Two countries, in either order: claims whose reporter and partner are these two.")]
    [Example("AZE,ISR")]
    public string? Pair { get; set; }

    [FromQuery(Name = "flow"), Description("tradeFlow codes: a,b (any of) or !a,b (none of).")]
    [Example("M")]
    public string? Flow { get; set; }

    [FromQuery(Name = "hs"), Description("HS code prefixes (2 to 6 digits) or TOTAL: hs=27 finds 2709. a,b (any of) or !a,b (none of).")]
    [Example("27")]
    public string? Hs { get; set; }

    [FromQuery(Name = "unit"), Description("claimUnit codes: a,b (any of) or !a,b (none of).")]
    [Example("percent")]
    public string? Unit { get; set; }

    [FromQuery(Name = "qualifier"), Description("claimQualifier codes: a,b (any of) or !a,b (none of).")]
    [Example("about,exact")]
    public string? Qualifier { get; set; }

    [FromQuery(Name = "basis"), Description("claimBasis codes: a,b (any of) or !a,b (none of).")]
    [Example("value")]
    public string? Basis { get; set; }

    [FromQuery(Name = "period"), Description("Claims whose period overlaps this date or range: 2023, 2023-05, 2022..2024, 2023.. or ..2023. Claims without a period do not match.")]
    [Example("2023")]
    public string? Period { get; set; }

    [FromQuery(Name = "sourceId"), Description("Claims citing any of these sources: a,b (any of) or !a,b (none of).")]
    [Example("seed-article")]
    public string? SourceId { get; set; }

    public IEnumerable<KeyValuePair<string, string?>> ForFingerprint() =>
    [
        new("indicator", Indicator), new("reporter", Reporter), new("partner", Partner), new("country", Country),
        new("pair", Pair), new("flow", Flow), new("hs", Hs), new("unit", Unit), new("qualifier", Qualifier),
        new("basis", Basis), new("period", Period), new("sourceId", SourceId),
    ];
}

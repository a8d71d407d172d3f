using System.ComponentModel;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.TradeRecords;

/// <summary>
/// The body of POST, PUT and PATCH (merge patch) of a trade record. It has no id: trade record ids
/// are integers the store assigns, and PUT/PATCH/DELETE take the id from the path. Every member is
/// nullable so that a missing required value is a validation message, never a silent 0.
/// </summary>
[Description("A reported trade figure: who reports, with which partner, for which period, flow and HS commodity, and the value, weight and quantity as reported. No id: the server assigns integer ids.")]
public sealed record TradeRecordWrite(
    [property: Description("Reporting country: ISO 3166-1 alpha-3, alpha-2 or numeric (M49); stored as alpha-3. WLD is not a reporter.")] string? Reporter,
    [property: Description("Partner country in any accepted form; WLD (World) for the reporter's total with all partners.")] string? Partner,
    [property: Description("Year, 1900 to 2100.")] int? Year,
    [property: Description("Month 1 to 12, or null for an annual figure.")] int? Month,
    [property: Description("tradeFlow code: M import, X export, RM re-import, RX re-export.")] string? Flow,
    [property: Description("Commodity code in its classification (see classification): for HS, TOTAL, a 2-digit chapter, or a 4- or 6-digit code whose chapter exists.")] string? Hs,
    [property: Description("transportMode code (UN Comtrade motCode): 0 all modes (the default when null), 1000 air, 2100 sea, 3100 rail, 3200 road, 9110 pipelines, 9900 other.")] int? TransportMode,
    [property: Description("Trade value in US dollars as an exact decimal number (at most 2 decimal places, 0 to 1e15); null when the source gives none.")] decimal? ValueUsd,
    [property: Description("Net weight in kilograms (0 to 1e15, at most 15 significant digits); null when not reported.")] decimal? NetWeightKg,
    [property: Description("Quantity in quantityUnit (0 to 1e15, at most 15 significant digits); null when not reported.")] decimal? Quantity,
    [property: Description("Unit of quantity, e.g. 'kg', 'l', 'u' (at most 20 characters); required when quantity is given.")] string? QuantityUnit,
    [property: Description("valueBasis code: CIF, FOB or unknown (the default when null).")] string? ValueBasis,
    [property: Description("True when the figure is an estimate rather than a reported value; false when null.")] bool? Estimated,
    [property: Description("Id of the existing source (dataset release, article) the figure comes from.")] string? SourceId,
    [property: Description("Classification of the commodity code in hs: HS (the default: HS, revision not stated), H0 to H6 (HS 1992 to 2022), S1 to S4 (SITC revisions) or EB, EB02, EB10, EB10S (EBOPS). Codes outside HS are stored as given, not checked against the HS list.")] string? Classification = null,
    [property: Description("reported (the default): the reporter's own statistics; reconciled: a figure reconciled from both partners' reports (CEPII BACI), which is neither country's report; reporter is then the exporter.")] string? Origin = null)
{
    public static TradeRecordWrite Example => new(
        "AZE", "ISR", 2024, 1, "X", "2709", 0, 297000000m, 523500000m, null, null, "FOB", false,
        "jpost-2024-02-israel-top-oil-customer");
}

/// <summary>A trade record as served: the write members normalised, with its id and version.</summary>
public sealed record TradeRecordResponse(
    [property: Description("Integer id assigned by the store.")] long Id,
    [property: Description("Reporting country, ISO 3166-1 alpha-3.")] string Reporter,
    [property: Description("Partner country, ISO 3166-1 alpha-3 (WLD = World).")] string Partner,
    int Year,
    [property: Description("Month 1 to 12; null for an annual figure.")] int? Month,
    [property: Description("tradeFlow code.")] string Flow,
    [property: Description("Commodity code (HS unless classification says otherwise) or TOTAL.")] string Hs,
    [property: Description("transportMode code (0 = all modes).")] int TransportMode,
    [property: Description("Value in US dollars, exact (stored as integer cents).")] decimal? ValueUsd,
    decimal? NetWeightKg,
    decimal? Quantity,
    string? QuantityUnit,
    [property: Description("valueBasis code: CIF, FOB or unknown.")] string ValueBasis,
    bool Estimated,
    string SourceId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: Description("Version of the record; its ETag.")] long Version,
    [property: Description("Classification of the code in hs: HS, H0 to H6, S1 to S4, EB, EB02, EB10, EB10S.")] string Classification,
    [property: Description("reported (the reporter's own statistics) or reconciled (e.g. CEPII BACI: the exporter as reporter).")] string Origin);

/// <summary>Filters of GET /v1/trade-records.</summary>
public sealed class TradeRecordListQuery
{
    [FromQuery(Name = "reporter"), Description("Reporting countries (any accepted code form): a,b (any of) or !a,b (none of).")]
    [Example("AZE")]
    public string? Reporter { get; set; }

    [FromQuery(Name = "partner"), Description("Partner countries (WLD = World): a,b (any of) or !a,b (none of).")]
    [Example("ISR,WLD")]
    public string? Partner { get; set; }

    [FromQuery(Name = "country"), Description("Countries on either side (reporter or partner): a,b (any of) or !a,b (none of).")]
    [Example("ISR")]
    public string? Country { get; set; }

    [FromQuery(Name = "pair"), Description("Two countries, both involved, in either direction (reporter AZE and partner ISR, or the reverse).")]
    [Example("AZE,ISR")]
    public string? Pair { get; set; }

    [FromQuery(Name = "year"), Description("Years 1900 to 2100: 2024, 2022,2024, !2020 or a range 2020..2023, 2020.. or ..2023.")]
    [Example("2020..2023")]
    public string? Year { get; set; }

    [FromQuery(Name = "month"), Description("Months 1 to 12: 1, 1,2,3 or 1..6. Annual rows (month null) match only !… lists.")]
    [Example("1..6")]
    public string? Month { get; set; }

    [FromQuery(Name = "flow"), Description("tradeFlow codes: M, X, RM, RX; a,b (any of) or !a,b (none of).")]
    [Example("X")]
    public string? Flow { get; set; }

    [FromQuery(Name = "hs"), Description("HS codes by prefix (hs=27 finds 2709 and 271019), or TOTAL; a,b (any of) or !a,b (none of).")]
    [Example("27")]
    public string? Hs { get; set; }

    [FromQuery(Name = "transportMode"), Description("transportMode codes: 0, 1000, 2100, 3100, 3200, 9110, 9900; a,b (any of) or !a,b (none of).")]
    [Example("0")]
    public string? TransportMode { get; set; }

    [FromQuery(Name = "valueBasis"), Description("valueBasis codes: CIF, FOB, unknown; a,b (any of) or !a,b (none of).")]
    [Example("FOB")]
    public string? ValueBasis { get; set; }

    [FromQuery(Name = "estimated"), Description("true: only estimates; false: only reported figures.")]
    [Example("false")]
    public string? Estimated { get; set; }

    [FromQuery(Name = "classification"), Description("Classifications of the commodity code: HS, H0..H6, S1..S4, EB...; a,b (any of) or !a,b (none of).")]
    [Example("HS,H6")]
    public string? Classification { get; set; }

    [FromQuery(Name = "origin"), Description("reported or reconciled; a,b (any of) or !a,b (none of).")]
    [Example("reported")]
    public string? Origin { get; set; }

    [FromQuery(Name = "sourceId"), Description("Source ids: a,b (any of) or !a,b (none of).")]
    [Example("jpost-2024-02-israel-top-oil-customer")]
    public string? SourceId { get; set; }

    public IEnumerable<KeyValuePair<string, string?>> ForFingerprint() =>
    [
        new("reporter", Reporter), new("partner", Partner), new("country", Country), new("pair", Pair),
        new("year", Year), new("month", Month), new("flow", Flow), new("hs", Hs), new("transportMode", TransportMode),
        new("valueBasis", ValueBasis), new("estimated", Estimated), new("sourceId", SourceId),
        new("classification", Classification), new("origin", Origin),
    ];
}

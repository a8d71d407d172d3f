using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Sources;
using FluentValidation;

namespace BilateralApi.Claims;

public sealed class ClaimWriteValidator : AbstractValidator<ClaimWrite>
{
    public const int ClaimTextMaxLength = 2000;

    /// <summary>
    /// Which units an indicator can be stated in. A share in dollars or a rank in tonnes cannot be
    /// checked against the trade data (or mean anything), so the pairing is refused at write time.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> UnitsByIndicator = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["importPartnerShare"] = ["percent"],
        ["exportPartnerShare"] = ["percent"],
        ["tradeValue"] = ["usd", "tonnes", "kg", "barrelsPerDay"],
        ["tradeTurnover"] = ["usd", "tonnes", "kg"],
        ["supplierRank"] = ["rank"],
        ["destinationRank"] = ["rank"],
        ["importDependence"] = ["percent"],
        ["supplyShare"] = ["percent"],
        ["routeShare"] = ["percent"],
        ["consumption"] = ["tonnes", "kg", "barrelsPerDay"],
    };

    /// <summary>
    /// Which flows an indicator's definition allows (a null flow, "not stated", always passes). A ranking of buyers
    /// coded as supplierRank, or an export share coded with flow M, reads by the code list as the opposite fact.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> FlowsByIndicator = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["importPartnerShare"] = ["M", "RM"],
        ["supplierRank"] = ["M", "RM"],
        ["importDependence"] = ["M"],
        ["supplyShare"] = ["M", "RM"],
        ["exportPartnerShare"] = ["X", "RX"],
        ["destinationRank"] = ["X", "RX"],
        ["tradeValue"] = ["M", "X", "RM", "RX"],
        ["tradeTurnover"] = [],
        ["consumption"] = [],
        ["routeShare"] = [],
    };

    /// <summary>Most partners a group claim may name.</summary>
    public const int MaxPartners = 50;

    public ClaimWriteValidator(CodeListCatalog codes, CountryCatalog countries, CommodityCatalog commodities, CitationValidator citationValidator)
    {
        RuleFor(c => c.Id).IsSlug();
        RuleFor(c => c.Text).IsRequiredText(ClaimTextMaxLength);
        RuleFor(c => c.Indicator).NotEmpty().WithMessage("'indicator' is required.").IsCode(codes, "claimIndicator");
        RuleFor(c => c.Reporter).IsCountry(countries);
        RuleFor(c => c.Partner).IsCountry(countries)
            .Must((c, partner) => partner is null || c.Reporter is null || countries.Normalize(partner) != countries.Normalize(c.Reporter))
            .WithMessage("'partner' must differ from 'reporter': a claim is about trade between two countries (use WLD for the world).");
        RuleFor(c => c.Partners)
            .Must((c, partners) => partners is null || c.Partner is null)
            .WithMessage("Give either 'partner' (one country) or 'partners' (a group whose figure is stated combined), not both.")
            .Must(partners => partners is null || (partners.Count >= 2 && partners.Count <= MaxPartners))
            .WithMessage($"'partners' names a group: from 2 to {MaxPartners} countries (use 'partner' for one).");
        RuleForEach(c => c.Partners)
            .Must(member => member is not null && countries.IsKnown(member))
            .WithMessage("'{PropertyValue}' is not a known country: use an ISO 3166-1 alpha-3 (AZE), alpha-2 (AZ) or numeric (031) code.")
            .WithErrorCode(RuleCodes.Country)
            .Must((c, member) => c.Reporter is null || countries.Normalize(member) != countries.Normalize(c.Reporter))
            .WithMessage("A member of 'partners' must differ from 'reporter'.");
        RuleFor(c => c.Partners)
            .Must(partners => partners is null || partners.Select(p => countries.Normalize(p) ?? p ?? "").Distinct(StringComparer.Ordinal).Count() == partners.Count)
            .WithMessage("'partners' names each country once.");
        RuleFor(c => c.Flow).IsCode(codes, "tradeFlow");
        RuleFor(c => c.Flow)
            .Must((c, flow) => flow is null || !FlowsByIndicator.TryGetValue(c.Indicator ?? "", out var flows) || !codes.Contains("tradeFlow", flow) || flows.Contains(flow))
            .WithMessage(c => FlowsByIndicator[c.Indicator!].Length == 0
                ? $"The indicator {c.Indicator} has no direction: 'flow' must be null."
                : $"The indicator {c.Indicator} is defined for flow {string.Join(" or ", FlowsByIndicator[c.Indicator!])}, not '{c.Flow}'.");
        RuleFor(c => c.Hs).IsHsCode(commodities);
        RuleFor(c => c.Period!).SetValidator(new DateValueValidator()).When(c => c.Period is not null);

        // A claim whose source states no figure ("one of the main sources") keeps value and qualifier null:
        // a number no source gives is never filled in.
        RuleFor(c => c.Value).NotNull().When(c => c.Qualifier is not null || c.ValueTo is not null)
            .WithMessage("'value' is required with 'qualifier' or 'valueTo': the number the source states.");
        RuleFor(c => c.Value).Must((c, v) => InRange(c.Unit, v)).WithMessage(c => RangeMessage(c.Unit, c.Value));
        RuleFor(c => c.ValueTo).Must((c, v) => InRange(c.Unit, v)).WithMessage(c => RangeMessage(c.Unit, c.ValueTo));
        RuleFor(c => c.ValueTo)
            .Must((c, to) => to is null || c.Value is null || to >= c.Value)
            .WithMessage(c => $"'valueTo' ({c.ValueTo}) must not be less than 'value' ({c.Value}): it is the upper bound of a range.");

        RuleFor(c => c.Unit).NotEmpty().WithMessage("'unit' is required.").IsCode(codes, "claimUnit");
        RuleFor(c => c.Unit)
            .Must((c, unit) => !UnitsByIndicator.TryGetValue(c.Indicator ?? "", out var units) || unit is null || !codes.Contains("claimUnit", unit) || units.Contains(unit))
            .WithMessage(c => $"The indicator {c.Indicator} is stated in {string.Join(" or ", UnitsByIndicator[c.Indicator!])}, not '{c.Unit}'.");
        RuleFor(c => c.Qualifier).NotEmpty().When(c => c.Value is not null)
            .WithMessage("'qualifier' is required with 'value' (exact, about, atLeast, …).").IsCode(codes, "claimQualifier");
        RuleFor(c => c.Basis).NotEmpty().WithMessage("'basis' is required.").IsCode(codes, "claimBasis");
        RuleFor(c => c.Notes).IsText(RuleExtensions.TextMaxLength);
        this.RequireCitations(c => c.Citations!, citationValidator);
    }

    /// <summary>The range a value can take in its unit; an unknown or missing unit is reported on 'unit' alone.</summary>
    private static bool InRange(string? unit, decimal? value) => value is not { } v || unit switch
    {
        "percent" => v is >= 0 and <= 100,
        "rank" => v >= 1 && decimal.Truncate(v) == v,
        "usd" or "tonnes" or "kg" => v >= 0,
        _ => true,
    };

    private static string RangeMessage(string? unit, decimal? value) => unit switch
    {
        "percent" => $"{value} is not a percentage: use a number from 0 to 100.",
        "rank" => $"{value} is not a rank: use a whole number from 1 (1 = the largest).",
        _ => $"{value} is negative: a {unit} amount is at least 0.",
    };
}

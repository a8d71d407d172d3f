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
        ["tradeValue"] = ["usd", "tonnes", "kg"],
        ["tradeTurnover"] = ["usd", "tonnes", "kg"],
        ["supplierRank"] = ["rank"],
    };

    public ClaimWriteValidator(CodeListCatalog codes, CountryCatalog countries, CommodityCatalog commodities, CitationValidator citationValidator)
    {
        RuleFor(c => c.Id).IsSlug();
        RuleFor(c => c.Text).IsRequiredText(ClaimTextMaxLength);
        RuleFor(c => c.Indicator).NotEmpty().WithMessage("'indicator' is required.").IsCode(codes, "claimIndicator");
        RuleFor(c => c.Reporter).IsCountry(countries);
        RuleFor(c => c.Partner).IsCountry(countries)
            .Must((c, partner) => partner is null || c.Reporter is null || countries.Normalize(partner) != countries.Normalize(c.Reporter))
            .WithMessage("'partner' must differ from 'reporter': a claim is about trade between two countries (use WLD for the world).");
        RuleFor(c => c.Flow).IsCode(codes, "tradeFlow");
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

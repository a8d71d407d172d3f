using System.Globalization;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Validation;
using FluentValidation;

namespace BilateralApi.TradeRecords;

/// <summary>
/// One trade record write. Takes a <see cref="RecordLookup"/> so that the seed loader can construct it
/// over its own transaction (sources written earlier in the same load count as existing).
/// </summary>
public sealed class TradeRecordWriteValidator : AbstractValidator<TradeRecordWrite>
{
    public const int MinYear = 1900;
    public const int MaxYear = 2100;
    public const int QuantityUnitMaxLength = 20;

    /// <summary>Far above any real figure (world trade is ~2.5e13 USD a year), and safely inside a 64-bit count of cents.</summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    public const string World = "WLD";

    public TradeRecordWriteValidator(CountryCatalog countries, CodeListCatalog codes, CommodityCatalog commodities, RecordLookup records)
    {
        RuleFor(r => r.Reporter)
            .NotEmpty().WithMessage("'reporter' is required.")
            .IsCountry(countries)
            .Must(v => v is null || countries.Normalize(v) != World)
            .WithMessage("WLD (World) can only be a partner: the reporter is the country whose statistics report the figure.");
        RuleFor(r => r.Partner)
            .NotEmpty().WithMessage("'partner' is required.")
            .IsCountry(countries)
            .Must((r, partner) => partner is null || r.Reporter is null || !countries.IsKnown(partner) || countries.Normalize(partner) != countries.Normalize(r.Reporter))
            .WithMessage("'partner' must differ from 'reporter'.");
        RuleFor(r => r.Year)
            .NotNull().WithMessage("'year' is required.")
            .InclusiveBetween(MinYear, MaxYear).WithMessage($"'year' must be from {MinYear} to {MaxYear}.");
        RuleFor(r => r.Month)
            .InclusiveBetween(1, 12).WithMessage("'month' must be from 1 to 12, or null for an annual figure.");
        RuleFor(r => r.Flow)
            .NotEmpty().WithMessage("'flow' is required.")
            .IsCode(codes, "tradeFlow");
        RuleFor(r => r.Hs)
            .NotEmpty().WithMessage("'hs' is required.")
            .IsHsCode(commodities).When(r => TradeClassifications.IsHs(r.Classification), ApplyConditionTo.CurrentValidator);
        RuleFor(r => r.Hs)
            .Must(TradeClassifications.IsPlainCode).When(r => !string.IsNullOrEmpty(r.Hs) && !TradeClassifications.IsHs(r.Classification))
            .WithMessage((r, hs) => $"'{hs}' is not a {r.Classification} code: letters, digits and dots, at most {TradeClassifications.CodeMaxLength} characters.");
        RuleFor(r => r.Classification)
            .Must(c => c is null || TradeClassifications.IsKnown(c))
            .WithMessage($"'{{PropertyValue}}' is not a classification. Allowed: {string.Join(", ", TradeClassifications.All)}.");
        RuleFor(r => r.Origin)
            .Must(o => o is null || TradeClassifications.Origins.Contains(o))
            .WithMessage($"'{{PropertyValue}}' is not an origin. Allowed: {string.Join(", ", TradeClassifications.Origins)}.");
        RuleFor(r => r.TransportMode)
            .Must(m => m is null || codes.Contains("transportMode", m.Value.ToString(CultureInfo.InvariantCulture)))
            .WithMessage((_, m) => $"'{m}' is not a transportMode code. Allowed: {codes.Allowed("transportMode")}.");
        RuleFor(r => r.ValueUsd)
            .InclusiveBetween(0m, MaxAmount).WithMessage($"'valueUsd' must be from 0 to {MaxAmount:0}.")
            .Must(v => v is null || decimal.Round(v.Value, 2) == v.Value)
            .WithMessage("'valueUsd' has at most 2 decimal places (whole cents).");
        RuleFor(r => r.NetWeightKg).IsStoredMeasure("netWeightKg");
        RuleFor(r => r.Quantity).IsStoredMeasure("quantity");
        RuleFor(r => r.QuantityUnit).IsText(QuantityUnitMaxLength);
        RuleFor(r => r.QuantityUnit)
            .NotEmpty().When(r => r.Quantity is not null)
            .WithMessage("'quantityUnit' is required when 'quantity' is given (e.g. kg, l, u).");
        RuleFor(r => r.ValueBasis).IsCode(codes, "valueBasis");
        RuleFor(r => r.SourceId)
            .NotEmpty().WithMessage("'sourceId' is required.")
            .MustAsync(async (id, ct) => string.IsNullOrEmpty(id) || await records.ExistsAsync("source", id, ct))
            .WithMessage("No source has the id '{PropertyValue}'. Create the source first (POST /v1/sources).");
    }
}

internal static class TradeMeasureRules
{
    /// <summary>
    /// Weights and quantities are stored as SQLite REAL, which keeps 15 significant digits exactly;
    /// a value with more would come back changed, so it is refused instead of silently rounded.
    /// </summary>
    public static IRuleBuilderOptions<T, decimal?> IsStoredMeasure<T>(this IRuleBuilder<T, decimal?> rule, string name) =>
        rule.InclusiveBetween(0m, TradeRecordWriteValidator.MaxAmount).WithMessage($"'{name}' must be from 0 to {TradeRecordWriteValidator.MaxAmount:0}.")
            .Must(v => v is null || (decimal)(double)v.Value == v.Value)
            .WithMessage($"'{name}' has more than 15 significant digits, more than the store keeps exactly.");
}

using BilateralApi.Infrastructure.Dates;
using FluentValidation;

namespace BilateralApi.Infrastructure.Validation;

/// <summary>Checks that a <see cref="DateValue"/> names real days, that its precision matches its form, and that a range runs forward.</summary>
public sealed class DateValueValidator : AbstractValidator<DateValue>
{
    public DateValueValidator()
    {
        RuleFor(d => d.Value)
            .NotEmpty().WithMessage("'value' is required: YYYY, YYYY-MM or YYYY-MM-DD.")
            .Must(v => PartialDate.TryParse(v, out _))
            .WithMessage("'{PropertyValue}' is not a real date of the form YYYY, YYYY-MM or YYYY-MM-DD.").WithErrorCode(RuleCodes.PartialDate);
        RuleFor(d => d.Precision)
            .Must((d, p) => p is null || !PartialDate.TryParse(d.Value, out var v) || v.Value.Precision == p)
            .WithMessage(d => $"Precision '{d.Precision}' does not match the value '{d.Value}' (expected '{(PartialDate.TryParse(d.Value, out var v) ? v.Value.Precision : "year, month or day")}').");
        RuleFor(d => d.To)
            .Must(t => t is null || PartialDate.TryParse(t, out _))
            .WithMessage("'{PropertyValue}' is not a real date of the form YYYY, YYYY-MM or YYYY-MM-DD.").WithErrorCode(RuleCodes.PartialDate)
            .Must((d, t) => t is null || !PartialDate.TryParse(d.Value, out var from) || !PartialDate.TryParse(t, out var to) || to.Value.End >= from.Value.Start)
            .WithMessage("'to' must not be before 'value'.");
    }

    /// <summary>True when <paramref name="later"/> cannot have happened before <paramref name="earlier"/> (by overlap of their ranges).</summary>
    public static bool NotBefore(DateValue? earlier, DateValue? later)
    {
        if (earlier?.Value is null || later?.Value is null ||
            !PartialDate.TryParse(earlier.Value, out var a) || !PartialDate.TryParse(later.Value, out var b))
        {
            return true;
        }
        var laterEnd = later.To is not null && PartialDate.TryParse(later.To, out var bt) ? bt.Value.End : b.Value.End;
        return laterEnd >= a.Value.Start;
    }
}

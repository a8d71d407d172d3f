using BilateralApi.CodeLists;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Validation;
using FluentValidation;

namespace BilateralApi.Sources;

/// <summary>One citation: an existing source, a known support code, bounded text.</summary>
public sealed class CitationValidator : AbstractValidator<Citation>
{
    public const int QuoteMaxLength = 300;

    public CitationValidator(CodeListCatalog codes, RecordLookup records)
    {
        RuleFor(c => c.SourceId)
            .NotEmpty().WithMessage("'sourceId' is required.")
            .MustAsync(async (id, ct) => id is null || await records.ExistsAsync("source", id, ct))
            .WithMessage("No source has the id '{PropertyValue}'. Create the source first (POST /v1/sources).");
        RuleFor(c => c.Locator).IsText(RuleExtensions.NameMaxLength);
        RuleFor(c => c.Quote).IsText(QuoteMaxLength);
        RuleFor(c => c.Supports).NotEmpty().WithMessage("'supports' is required.").IsCode(codes, "citationSupport");
    }
}

public static class CitationRules
{
    public const int MaxCitations = 50;

    /// <summary>At least one citation, each valid: every curated record says where its facts come from. Call as RequireCitations(x => x.Citations!, ...).</summary>
    public static void RequireCitations<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IEnumerable<Citation>>> citations, CitationValidator citationValidator)
    {
        validator.RuleFor(citations)
            .NotEmpty().WithMessage("At least one citation is required: every record says which source it rests on.")
            .Must(c => c is null || c.Count() <= MaxCitations).WithMessage($"At most {MaxCitations} citations.");
        validator.RuleForEach(citations).NotNull().WithMessage("A citation cannot be null.").SetValidator(citationValidator);
    }
}

using BilateralApi.CodeLists;
using BilateralApi.Infrastructure.Validation;
using FluentValidation;

namespace BilateralApi.Sources;

public sealed class SourceWriteValidator : AbstractValidator<SourceWrite>
{
    public SourceWriteValidator(CodeListCatalog codes)
    {
        RuleFor(s => s.Id).IsSlug();
        RuleFor(s => s.Type).NotEmpty().WithMessage("'type' is required.").IsCode(codes, "sourceType");
        // A title a source does not show stays null rather than being made up; the URL then identifies it.
        RuleFor(s => s.Title).IsText(RuleExtensions.TitleMaxLength)
            .Must(t => t is null || t.Trim().Length > 0).WithMessage("'title' must not be blank; use null when the source shows no title.")
            .Must((s, t) => t is not null || s.Url is not null).WithMessage("A source needs a title or a url.");
        RuleFor(s => s.Author).IsText(RuleExtensions.NameMaxLength);
        RuleFor(s => s.Publisher).IsText(RuleExtensions.NameMaxLength);
        RuleFor(s => s.Url).IsHttpUrl();
        RuleFor(s => s.PublishedOn).IsPartialDate();
        RuleFor(s => s.RetrievedOn).IsPartialDate();
        RuleFor(s => s.Reliability).NotEmpty().WithMessage("'reliability' is required.").IsCode(codes, "reliability");
        RuleFor(s => s.Licence).IsText(RuleExtensions.NameMaxLength);
        RuleFor(s => s.Notes).IsText(RuleExtensions.TextMaxLength);
    }
}

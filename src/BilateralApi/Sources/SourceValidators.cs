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
        RuleFor(s => s.Title).IsRequiredText(RuleExtensions.TitleMaxLength);
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

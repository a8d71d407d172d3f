using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Sources;
using FluentValidation;

namespace BilateralApi.Agreements;

public sealed class AgreementWriteValidator : AbstractValidator<AgreementWrite>
{
    public const int MaxParties = 200;

    public AgreementWriteValidator(CodeListCatalog codes, CountryCatalog countries, RecordLookup records, CitationValidator citationValidator)
    {
        RuleFor(a => a.Id).IsSlug();
        RuleFor(a => a.Title).IsRequiredText(2000);
        RuleFor(a => a.ShortTitle).IsText(RuleExtensions.NameMaxLength);
        RuleFor(a => a.Type).NotEmpty().WithMessage("'type' is required.").IsCode(codes, "agreementType");
        RuleFor(a => a.Status).NotEmpty().WithMessage("'status' is required.").IsCode(codes, "agreementStatus");
        RuleFor(a => a.Subjects).NotNull().WithMessage("'subjects' is required (it may be an empty list).").NoDuplicates();
        RuleForEach(a => a.Subjects).IsCode(codes, "subject");

        var date = new DateValueValidator();
        RuleFor(a => a.Signed).SetValidator(date!);
        RuleFor(a => a.EnteredIntoForce).SetValidator(date!)
            .Must((a, d) => DateValueValidator.NotBefore(a.Signed, d)).WithMessage("Entry into force cannot be before signature.");
        RuleFor(a => a.ValidUntil).SetValidator(date!)
            .Must((a, d) => DateValueValidator.NotBefore(a.Signed, d) && DateValueValidator.NotBefore(a.EnteredIntoForce, d))
            .WithMessage("'validUntil' cannot be before signature or entry into force.");
        RuleFor(a => a.Ended).SetValidator(date!)
            .Must((a, d) => DateValueValidator.NotBefore(a.Signed, d)).WithMessage("An agreement cannot end before it was signed.");
        RuleFor(a => a.EndedReason).IsText(1000)
            .Must((a, r) => r is null || a.Ended is not null).WithMessage("'endedReason' needs 'ended'.");
        RuleFor(a => a.Place).IsText(RuleExtensions.NameMaxLength);
        RuleFor(a => a.Summary).IsText(RuleExtensions.TextMaxLength);
        RuleFor(a => a.ValueUsd)
            .GreaterThanOrEqualTo(0).WithMessage("'valueUsd' cannot be negative.")
            .Must(v => v is null || decimal.Round(v.Value, 2) == v.Value).WithMessage("'valueUsd' has at most 2 decimal places (cents).")
            .LessThan(1e15m).WithMessage("'valueUsd' is out of range.");
        RuleFor(a => a.ParentId).IsSlug()
            .Must((a, p) => p is null || p != a.Id).WithMessage("An agreement cannot be its own parent.")
            .MustAsync(async (p, ct) => p is null || await records.ExistsAsync("agreement", p, ct))
            .WithMessage("No agreement has the id '{PropertyValue}'.");
        RuleFor(a => a.ParentRelation).IsCode(codes, "agreementRelation")
            .Must((a, r) => (r is null) == (a.ParentId is null)).WithMessage("'parentRelation' is given exactly when 'parentId' is.");

        RuleFor(a => a.Parties)
            .NotNull().WithMessage("'parties' is required.")
            .Must(p => p is null || p.Count >= 2).WithMessage("An agreement has at least two parties.")
            .Must(p => p is null || p.Count <= MaxParties).WithMessage($"At most {MaxParties} parties.");
        RuleForEach(a => a.Parties).NotNull().WithMessage("A party cannot be null.").SetValidator(new AgreementPartyValidator(codes, countries));
        RuleFor(a => a.Notes).IsText(RuleExtensions.TextMaxLength);
        this.RequireCitations(a => a.Citations!, citationValidator);
    }
}

/// <summary>One party of an agreement (its own validator, so the OpenAPI document can read what a party requires).</summary>
public sealed class AgreementPartyValidator : AbstractValidator<AgreementParty>
{
    public AgreementPartyValidator(CodeListCatalog codes, CountryCatalog countries)
    {
        RuleFor(p => p.Country).IsCountry(countries);
        RuleFor(p => p.Name).IsText(RuleExtensions.NameMaxLength)
            .Must((p, n) => p.Country is not null || !string.IsNullOrWhiteSpace(n)).WithMessage("A party needs a country or a name.");
        RuleFor(p => p.Role).NotEmpty().WithMessage("'role' is required.").IsCode(codes, "partyRole");
        RuleFor(p => p.ConsentType).IsCode(codes, "consentType");
        RuleFor(p => p.SignedOn).IsPartialDate();
        RuleFor(p => p.ConsentedOn).IsPartialDate();
        RuleFor(p => p.InForceOn).IsPartialDate();
        RuleFor(p => p.WithdrawnOn).IsPartialDate();
    }
}

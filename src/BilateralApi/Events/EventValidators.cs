using BilateralApi.CodeLists;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Sources;
using FluentValidation;

namespace BilateralApi.Events;

public sealed class EventWriteValidator : AbstractValidator<EventWrite>
{
    public const double MinIntensity = -10;
    public const double MaxIntensity = 10;
    public const int MaxParticipants = 100;

    /// <param name="records">Reads through the seed's transaction during the seed load, else through the pool.</param>
    /// <param name="citationValidator">Built over the same <paramref name="records"/>, for the same reason.</param>
    public EventWriteValidator(CodeListCatalog codes, CountryCatalog countries, RecordLookup records, CitationValidator citationValidator)
    {
        RuleFor(e => e.Id).IsSlug();
        RuleFor(e => e.Title).IsRequiredText(RuleExtensions.TitleMaxLength);
        RuleFor(e => e.Summary).IsText(RuleExtensions.TextMaxLength);
        RuleFor(e => e.Date).NotNull().WithMessage("'date' is required: { \"value\": \"2023-03-29\", \"precision\": \"day\" }.")
            .SetValidator(new DateValueValidator()!);

        RuleFor(e => e.Type).NotEmpty().WithMessage("'type' is required.").IsCode(codes, "eventType");
        // Modes are defined per type (PLOVER): "withdraw" of RETREAT is another mode than "withdraw" of SANCTION.
        RuleFor(e => e.Mode)
            .Must((e, mode) => mode is null || (codes.Contains("eventType", e.Type) ? codes.Contains("eventMode", e.Type!, mode) : codes.Contains("eventMode", mode)))
            .WithMessage((e, mode) => !codes.Contains("eventType", e.Type)
                ? $"'{mode}' is not an eventMode code. Allowed: {codes.Allowed("eventMode")}."
                : codes.Allowed("eventMode", e.Type) is { Length: > 0 } allowed
                    ? $"'{mode}' is not a mode of event type '{e.Type}'. Allowed: {allowed}, or null."
                    : $"Event type '{e.Type}' has no modes; use null.");
        RuleFor(e => e.Subtype).IsCode(codes, "eventSubtype");
        RuleFor(e => e.Contexts).NoDuplicates();
        RuleForEach(e => e.Contexts).NotNull().WithMessage("A code cannot be null.").IsCode(codes, "eventContext");
        RuleFor(e => e.Subjects).NoDuplicates();
        RuleForEach(e => e.Subjects).NotNull().WithMessage("A code cannot be null.").IsCode(codes, "subject");
        RuleFor(e => e.Intensity)
            .InclusiveBetween(MinIntensity, MaxIntensity)
            .WithMessage($"'intensity' must be from {MinIntensity} to {MaxIntensity}, or null for the default of the type.");

        RuleFor(e => e.Location).SetValidator(new EventLocationValidator(countries)!);
        RuleFor(e => e.Participants)
            .NotEmpty().WithMessage("At least one participant is required: who acted, and towards whom.")
            .Must(p => p is null || p.Count <= MaxParticipants).WithMessage($"At most {MaxParticipants} participants.");
        RuleForEach(e => e.Participants).NotNull().WithMessage("A participant cannot be null.")
            .SetValidator(new EventParticipantValidator(codes, countries));

        RuleFor(e => e.Verification).NotEmpty().WithMessage("'verification' is required.").IsCode(codes, "verification");
        RuleFor(e => e.RelatedAgreementId)
            .MustAsync(async (id, ct) => id is null || await records.ExistsAsync("agreement", id, ct))
            .WithMessage("No agreement has the id '{PropertyValue}'. Create the agreement first (POST /v1/agreements), or use null.");
        RuleFor(e => e.Notes).IsText(RuleExtensions.TextMaxLength);
        this.RequireCitations(e => e.Citations!, citationValidator);
    }
}

public sealed class EventLocationValidator : AbstractValidator<EventLocation>
{
    public EventLocationValidator(CountryCatalog countries)
    {
        RuleFor(l => l.Country).IsCountry(countries);
        RuleFor(l => l.Place).IsText(RuleExtensions.NameMaxLength);
        RuleFor(l => l)
            .Must(l => !string.IsNullOrWhiteSpace(l.Country) || !string.IsNullOrWhiteSpace(l.Place))
            .WithMessage("A location names a country, a place or both; use null for an unknown location.");
    }
}

public sealed class EventParticipantValidator : AbstractValidator<EventParticipant>
{
    public EventParticipantValidator(CodeListCatalog codes, CountryCatalog countries)
    {
        RuleFor(p => p.Role).NotEmpty().WithMessage("'role' is required: actor, recipient or thirdParty.").IsCode(codes, "participantRole");
        // A participant is identified by the state it acts for, its own name, or both ("SOCAR", AZE).
        RuleFor(p => p.Country)
            .NotEmpty().When(p => string.IsNullOrWhiteSpace(p.Name)).WithMessage("Give the participant's country, its name or both.")
            .IsCountry(countries);
        RuleFor(p => p.Sector).IsCode(codes, "sector");
        RuleFor(p => p.Name).IsText(RuleExtensions.NameMaxLength);
    }
}

using System.ComponentModel;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Sources;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Events;

/// <summary>The body of POST, PUT and PATCH (merge patch) of an event.</summary>
[Description("An event: a dated happening with actors and recipients, coded with PLOVER. POST may omit 'id' (the server derives one from the title); PUT takes the id from the path.")]
public sealed record EventWrite(
    [property: Description("Slug id, ^[a-z0-9][a-z0-9-]{2,99}$. Optional on POST; on PUT it must equal the path id if given.")] string? Id,
    [property: Description("Short title, at most 500 characters.")] string? Title,
    [property: Description("What happened, at most 4000 characters.")] string? Summary,
    [property: Description("When it happened, to the year, month or day as the sources give it.")] DateValue? Date,
    [property: Description("eventType code (PLOVER, see /v1/codelists/eventType); it sets the quad and the default intensity.")] string? Type,
    [property: Description("eventMode code of this type (see /v1/codelists/eventMode, parent = type), or null.")] string? Mode,
    [property: Description("eventSubtype code (this project's finer vocabulary, see /v1/codelists/eventSubtype), or null.")] string? Subtype,
    [property: Description("eventContext codes (PLOVER contexts), each at most once; may be empty.")] List<string>? Contexts,
    [property: Description("subject codes (see /v1/codelists/subject), each at most once; may be empty.")] List<string>? Subjects,
    [property: Description("Intensity on -10..+10 when the sources justify overriding the default; null takes the default of the mode, else of the type.")] double? Intensity,
    [property: Description("Where it happened, or null.")] EventLocation? Location,
    [property: Description("Who took part: at least one; each with a country, a name or both.")] List<EventParticipant>? Participants,
    [property: Description("verification code: reported, corroborated, official, disputed, retracted.")] string? Verification,
    [property: Description("Id of an existing agreement this event belongs to (a signing, a milestone), or null.")] string? RelatedAgreementId,
    [property: Description("Free-text notes: date clues, caveats, coding choices; at most 4000 characters.")] string? Notes,
    [property: Description("Where the facts come from: at least one citation.")] List<Citation>? Citations) : IWriteWithId
{
    public static EventWrite Example => new(
        "az-embassy-tel-aviv-opening-2023",
        "Azerbaijan opens its embassy in Tel Aviv",
        "Foreign ministers Jeyhun Bayramov and Eli Cohen inaugurate the embassy.",
        new DateValue("2023-03-29", "day"),
        "SUPPORT", null, "embassyOpening",
        ["diplomatic"], ["diplomacy"],
        5.0,
        EventLocation.Example,
        [EventParticipant.Example, new("recipient", "ISR", "GOV", "Eli Cohen")],
        "official", null, null,
        [new Citation("trend-2023-03-29-embassy-opening", "paragraph 1", null, "asserts")]);
}

/// <summary>Where an event happened (written and served alike).</summary>
[Description("Where an event happened: a country (any ISO 3166-1 form on input, alpha-3 when served), a place name, or both.")]
public sealed record EventLocation(
    [property: Description("ISO 3166-1 country: alpha-3 (ISR), alpha-2 (IL) or numeric (376) on input; alpha-3 when served.")] string? Country,
    [property: Description("Place name: city, site or facility, at most 300 characters.")] string? Place)
{
    public static EventLocation Example => new("ISR", "Tel Aviv");
}

/// <summary>One party to an event (written and served alike).</summary>
[Description("A participant: its PLOVER role, the country it acts for and/or its name, and its sector.")]
public sealed record EventParticipant(
    [property: Description("participantRole code: actor, recipient or thirdParty.")] string? Role,
    [property: Description("ISO 3166-1 country (any form on input, alpha-3 when served); may be null when a name is given.")] string? Country,
    [property: Description("sector code of the participant (GOV, MIL, BUS, …), or null.")] string? Sector,
    [property: Description("Person or organisation, e.g. 'Jeyhun Bayramov', 'SOCAR'; at most 300 characters.")] string? Name)
{
    public static EventParticipant Example => new("actor", "AZE", "GOV", "Jeyhun Bayramov");
}

/// <summary>An event as served.</summary>
[Description("An event as stored: the write shape with canonical codes, the effective intensity, the derived quad and the record's metadata.")]
public sealed record EventResponse(
    string Id,
    string Title,
    string? Summary,
    [property: Description("The date in canonical form: precision and inferred always given.")] DateValue Date,
    string Type,
    string? Mode,
    string? Subtype,
    [property: Description("eventContext codes, in code order.")] IReadOnlyList<string> Contexts,
    [property: Description("subject codes, in code order.")] IReadOnlyList<string> Subjects,
    [property: Description("Effective intensity on -10..+10: the stored override, else the default of the mode, else of the type.")] double? Intensity,
    [property: Description("PLOVER cooperation class of the type: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.")] int Quad,
    EventLocation? Location,
    IReadOnlyList<EventParticipant> Participants,
    string Verification,
    string? RelatedAgreementId,
    string? Notes,
    IReadOnlyList<Citation> Citations,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>Filters of GET /v1/events.</summary>
public sealed class EventListQuery
{
    [FromQuery(Name = "country"), Description("Countries involved on any side (a participant's country or the location): a,b (any of) or !a,b (none of); alpha-3, alpha-2 or numeric.")]
    [Example("AZE")]
    public string? Country { get; set; }

    [FromQuery(Name = "pair"), Description("Two countries that both take part, in either role: A,B.")]
    [Example("AZE,ISR")]
    public string? Pair { get; set; }

    [FromQuery(Name = "type"), Description("eventType codes: a,b (any of) or !a,b (none of).")]
    [Example("SUPPORT,COOPERATE")]
    public string? Type { get; set; }

    [FromQuery(Name = "mode"), Description("eventMode codes: a,b (any of) or !a,b (none of).")]
    [Example("visit")]
    public string? Mode { get; set; }

    [FromQuery(Name = "subtype"), Description("eventSubtype codes: a,b (any of) or !a,b (none of).")]
    [Example("embassyOpening,officialVisit")]
    public string? Subtype { get; set; }

    [FromQuery(Name = "context"), Description("eventContext codes the event has: a,b (any of) or !a,b (none of).")]
    [Example("diplomatic")]
    public string? Context { get; set; }

    [FromQuery(Name = "subject"), Description("subject codes the event has: a,b (any of) or !a,b (none of).")]
    [Example("energy,defence")]
    public string? Subject { get; set; }

    [FromQuery(Name = "verification"), Description("verification codes: a,b (any of) or !a,b (none of).")]
    [Example("official,corroborated")]
    public string? Verification { get; set; }

    [FromQuery(Name = "quad"), Description("PLOVER cooperation classes 1..4: a,b, !a or a range lo..hi (1..2 is all cooperation).")]
    [Example("1..2")]
    public string? Quad { get; set; }

    [FromQuery(Name = "date"), Description("Events whose date overlaps this period: YYYY, YYYY-MM, YYYY-MM-DD, or a range lo..hi, lo.., ..hi of them.")]
    [Example("2023..2024")]
    public string? Date { get; set; }

    [FromQuery(Name = "relatedAgreementId"), Description("Ids of the agreement the event belongs to: a,b (any of) or !a,b (none of).")]
    [Example("az-il-education-programme-2023-2026")]
    public string? RelatedAgreementId { get; set; }

    public IEnumerable<KeyValuePair<string, string?>> ForFingerprint() =>
    [
        new("country", Country), new("pair", Pair), new("type", Type), new("mode", Mode), new("subtype", Subtype),
        new("context", Context), new("subject", Subject), new("verification", Verification), new("quad", Quad),
        new("date", Date), new("relatedAgreementId", RelatedAgreementId),
    ];
}

using System.ComponentModel;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Sources;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Agreements;

/// <summary>The body of POST, PUT and PATCH (merge patch) of an agreement.</summary>
[Description("A treaty, MoU, programme, licence or contract between two or more parties, with its lifecycle dates (Vienna Convention terms) and the sources behind it.")]
public sealed record AgreementWrite(
    [property: Description("Slug id. Optional on POST (derived from the title); on PUT it must equal the path id if given.")] string? Id,
    [property: Description("Full title as signed.")] string? Title,
    [property: Description("Short title for display.")] string? ShortTitle,
    [property: Description("agreementType code: treaty, mou, programme, licence, contract, …")] string? Type,
    [property: Description("agreementStatus code: proposed, signed, inForce, expired, terminated, …")] string? Status,
    [property: Description("subject codes the agreement covers.")] List<string>? Subjects,
    [property: Description("Date of signature (or of award, for a licence).")] DateValue? Signed,
    [property: Description("Date of entry into force; not before signature.")] DateValue? EnteredIntoForce,
    [property: Description("End of the stated term, e.g. 2026 for a 2023–2026 programme.")] DateValue? ValidUntil,
    [property: Description("Date the agreement actually ended (expiry, termination, supersession).")] DateValue? Ended,
    [property: Description("Why it ended.")] string? EndedReason,
    [property: Description("Place of signature.")] string? Place,
    [property: Description("What the agreement does, in a few sentences.")] string? Summary,
    [property: Description("Stated value in US dollars for contracts; null when no source gives one.")] decimal? ValueUsd,
    [property: Description("Id of the agreement this one amends, supplements, supersedes or implements.")] string? ParentId,
    [property: Description("agreementRelation code to the parent: amends, supplements, supersedes, implements.")] string? ParentRelation,
    [property: Description("The parties (two or more): countries and/or organisations with their roles and consent.")] List<AgreementParty>? Parties,
    [property: Description("Free-text notes: disagreements between sources, caveats.")] string? Notes,
    [property: Description("The sources the record rests on (at least one).")] List<Citation>? Citations) : IWriteWithId
{
    public static AgreementWrite Example => new(
        "az-il-education-programme-2023-2026",
        "Program of educational cooperation between the Government of the Republic of Azerbaijan and the Government of the State of Israel for the years 2023-2026",
        "Education programme 2023–2026", "programme", "inForce", ["education"],
        new DateValue("2023-04-19", "day"), null, new DateValue("2026", "year"), null, null, "Baku", null, null, null, null,
        [new AgreementParty("AZE", null, "party", null, null, null, null, null), new AgreementParty("ISR", null, "party", null, null, null, null, null)],
        null,
        [new Citation("seed-article", "paragraph 2", null, "asserts")]);
}

[Description("A party to an agreement: a country and/or a named organisation, its role, and its own consent dates.")]
public sealed record AgreementParty(
    [property: Description("Country (alpha-3, alpha-2 or numeric on input; alpha-3 on output); null for an organisation without one.")] string? Country,
    [property: Description("Organisation or government body, e.g. SOCAR, Israel Aerospace Industries.")] string? Name,
    [property: Description("partyRole code: party, signatory, grantor, licensee, implementingAgency.")] string? Role,
    [property: Description("consentType code (how the party consented to be bound): ratification, approval, accession, …")] string? ConsentType,
    [property: Description("Date the party signed: YYYY, YYYY-MM or YYYY-MM-DD.")] string? SignedOn,
    [property: Description("Date the party consented to be bound.")] string? ConsentedOn,
    [property: Description("Date the agreement entered into force for this party.")] string? InForceOn,
    [property: Description("Date the party withdrew.")] string? WithdrawnOn);

/// <summary>An agreement as served.</summary>
public sealed record AgreementResponse(
    string Id,
    string Title,
    string? ShortTitle,
    string Type,
    string Status,
    IReadOnlyList<string> Subjects,
    DateValue? Signed,
    DateValue? EnteredIntoForce,
    DateValue? ValidUntil,
    DateValue? Ended,
    string? EndedReason,
    string? Place,
    string? Summary,
    decimal? ValueUsd,
    string? ParentId,
    string? ParentRelation,
    IReadOnlyList<AgreementParty> Parties,
    string? Notes,
    IReadOnlyList<Citation> Citations,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>Filters of GET /v1/agreements.</summary>
public sealed class AgreementListQuery
{
    [FromQuery(Name = "country"), Description("Agreements with a party from any of these countries (alpha-3, alpha-2 or numeric): AZE or AZE,TUR; !IRN for none of.")]
    [Example("AZE")]
    public string? Country { get; set; }

    [FromQuery(Name = "pair"), Description("Agreements with parties from both countries, in either order.")]
    [Example("AZE,ISR")]
    public string? Pair { get; set; }

    [FromQuery(Name = "type"), Description("agreementType codes: a,b (any of) or !a,b (none of).")]
    [Example("programme,mou")]
    public string? Type { get; set; }

    [FromQuery(Name = "status"), Description("agreementStatus codes: a,b (any of) or !a,b (none of).")]
    [Example("inForce")]
    public string? Status { get; set; }

    [FromQuery(Name = "subject"), Description("subject codes the agreement covers: any of a,b; none of !a,b.")]
    [Example("energy,defence")]
    public string? Subject { get; set; }

    [FromQuery(Name = "signed"), Description("Signature date, matched by overlap: 2023, 2023-04, 2021..2023, 2022.., ..2020.")]
    [Example("2021..2024")]
    public string? Signed { get; set; }

    [FromQuery(Name = "inForceOn"), Description("Agreements in force on this day (YYYY-MM-DD): entered into force on or before it (or status inForce/provisionallyApplied with no known date), not ended and not past validUntil.")]
    [Example("2025-01-01")]
    public string? InForceOn { get; set; }

    public IEnumerable<KeyValuePair<string, string?>> ForFingerprint() =>
    [
        new("country", Country), new("pair", Pair), new("type", Type), new("status", Status),
        new("subject", Subject), new("signed", Signed), new("inForceOn", InForceOn),
    ];
}

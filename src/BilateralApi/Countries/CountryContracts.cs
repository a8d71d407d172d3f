using System.ComponentModel;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Countries;

/// <summary>A country as stored: ISO 3166-1 codes and names; former states are flagged historical.</summary>
public sealed class CountryRow
{
    public string Alpha3 { get; set; } = "";
    public string? Alpha2 { get; set; }
    public string? Numeric { get; set; }
    public string Name { get; set; } = "";
    public string OfficialName { get; set; } = "";
    public bool Historical { get; set; }
    public string? ValidFrom { get; set; }
    public string? ValidTo { get; set; }
    public bool IsCountry { get; set; } = true;

    public CountryResponse ToResponse() => new(Alpha3, Alpha2, Numeric, Name, OfficialName, Historical, ValidFrom, ValidTo, IsCountry);
}

[Description("An ISO 3166-1 country (alpha-3 is canonical), a former state used by trade statistics (historical), WLD for World, or a reference area of trade statistics that is not a country (isCountry false, e.g. S19 Other Asia, nes; X899 Areas, nes).")]
public sealed record CountryResponse(
    [property: Description("ISO 3166-1 alpha-3 code, the canonical form everywhere in this API (reference areas: S19, or X and UN Comtrade's numeric code).")] string Code,
    [property: Description("ISO 3166-1 alpha-2 code; null for WLD.")] string? Alpha2,
    [property: Description("ISO 3166-1 numeric / UN M49 code, three digits.")] string? Numeric,
    [property: Description("Short English name.")] string Name,
    [property: Description("Official English name.")] string OfficialName,
    [property: Description("True for a former state (ISO 3166-3), e.g. SUN.")] bool Historical,
    [property: Description("First day the code was valid, for former states.")] string? ValidFrom,
    [property: Description("Last day the code was valid, for former states.")] string? ValidTo,
    [property: Description("False for WLD and for the reference areas of trade statistics that are not countries (UN Comtrade's 'nes' areas, bunkers, free zones, ...); their numeric is UN Comtrade's code.")] bool IsCountry = true);

public sealed class CountryListQuery
{
    [FromQuery(Name = "historical"), Description("true: only former states; false: only current entries (and WLD).")]
    [Example("false")]
    public string? Historical { get; set; }

    [FromQuery(Name = "code"), Description("Country codes in any accepted form: AZE,IL,031 (any of) or !AZE (none of).")]
    [Example("AZE,ISR")]
    public string? Code { get; set; }

    public IEnumerable<KeyValuePair<string, string?>> ForFingerprint() => [new("historical", Historical), new("code", Code)];
}

using BilateralApi.Querying;

namespace BilateralApi.Countries;

internal static class CountrySql
{
    /// <summary>What filter=, sort= and facet= may use on GET /v1/countries.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "countries",
        From = "country",
        Columns = Columns,
        Id = new("code", "alpha3", FieldType.Code) { Example = "AZE,ISR" },
        Fields =
        [
            new("alpha2", "alpha2", FieldType.Code) { Nullable = true, Facetable = false, Example = "AZ,IL" },
            new("numeric", "numeric", FieldType.Code) { Nullable = true, Facetable = false, Example = "031" },
            new("name", "name", FieldType.Text) { Facetable = false, Example = "Azerbaijan" },
            new("officialName", "official_name", FieldType.Text) { Facetable = false, Example = "Republic of Azerbaijan" },
            new("historical", "historical", FieldType.Boolean),
            new("validFrom", "valid_from", FieldType.Date) { EndSql = "valid_from", Nullable = true },
            new("validTo", "valid_to", FieldType.Date) { EndSql = "valid_to", Nullable = true },
            new("isCountry", "is_country", FieldType.Boolean),
        ],
        FilterExample = "startswith(name, 'A') and historical eq false",
    };

    public const string Columns = """
        alpha3 AS Alpha3, alpha2 AS Alpha2, numeric AS Numeric, name AS Name, official_name AS OfficialName,
        historical AS Historical, valid_from AS ValidFrom, valid_to AS ValidTo, is_country AS IsCountry
        """;

    public const string All = $"SELECT {Columns} FROM country";

    public const string List = $"SELECT {Columns} FROM country WHERE {{0}} ORDER BY alpha3 LIMIT @limit";
}

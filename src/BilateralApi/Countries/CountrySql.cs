namespace BilateralApi.Countries;

internal static class CountrySql
{
    public const string Columns = """
        alpha3 AS Alpha3, alpha2 AS Alpha2, numeric AS Numeric, name AS Name, official_name AS OfficialName,
        historical AS Historical, valid_from AS ValidFrom, valid_to AS ValidTo
        """;

    public const string All = $"SELECT {Columns} FROM country";

    public const string List = $"SELECT {Columns} FROM country WHERE {{0}} ORDER BY alpha3 LIMIT @limit";
}

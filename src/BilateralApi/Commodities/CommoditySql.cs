using BilateralApi.Querying;

namespace BilateralApi.Commodities;

internal static class CommoditySql
{
    /// <summary>What filter=, sort= and facet= may use on GET /v1/commodities.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "commodities",
        From = "commodity",
        Columns = Columns,
        Id = new("code", "code", FieldType.Code) { Example = "2709" },
        Fields =
        [
            new("level", "level", FieldType.Code),
            new("parent", "parent", FieldType.Code) { Nullable = true },
            new("description", "description", FieldType.Text) { Facetable = false, Example = "Petroleum oils and oils obtained from bituminous minerals; crude" },
        ],
        FilterExample = "level eq 'chapter' and startswith(code, '2')",
    };

    public const string Columns = "code AS Code, level AS Level, parent AS Parent, description AS Description";

    public const string GetByCode = $"SELECT {Columns} FROM commodity WHERE code = @code";

    public const string List = $"SELECT {Columns} FROM commodity WHERE {{0}} ORDER BY code LIMIT @limit";
}

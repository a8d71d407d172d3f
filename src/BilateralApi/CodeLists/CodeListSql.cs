using BilateralApi.Querying;

namespace BilateralApi.CodeLists;

internal static class CodeListSql
{
    /// <summary>What filter=, sort=, facet= and the field parameters may use on GET /v1/codelists: one row per list.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "codelists",
        From = "(SELECT list AS name, COUNT(*) AS count FROM code_list_entry GROUP BY list) cl",
        Columns = "cl.name AS Name, cl.count AS Count",
        Id = new("name", "cl.name", FieldType.Code) { Example = "eventType,subject" },
        Fields =
        [
            // Its parameter is shadowed by count= (how to count the rows); filter=count gt 10 and sort=-count work.
            new("count", "cl.count", FieldType.Integer) { Facetable = false },
        ],
        FilterExample = "count gt 10",
    };

    public const string All = """
        SELECT list AS List, code AS Code, parent AS Parent, label AS Label, description AS Description,
               quad AS Quad, intensity AS Intensity, cameo AS Cameo
        FROM code_list_entry ORDER BY list, ordinal
        """;
}

namespace BilateralApi.CodeLists;

internal static class CodeListSql
{
    public const string All = """
        SELECT list AS List, code AS Code, parent AS Parent, label AS Label, description AS Description,
               quad AS Quad, intensity AS Intensity, cameo AS Cameo
        FROM code_list_entry ORDER BY list, ordinal
        """;
}

namespace BilateralApi.Commodities;

internal static class CommoditySql
{
    public const string Columns = "code AS Code, level AS Level, parent AS Parent, description AS Description";

    public const string GetByCode = $"SELECT {Columns} FROM commodity WHERE code = @code";

    public const string List = $"SELECT {Columns} FROM commodity WHERE {{0}} ORDER BY code LIMIT @limit";
}

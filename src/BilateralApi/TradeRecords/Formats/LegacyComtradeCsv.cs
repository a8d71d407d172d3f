namespace BilateralApi.TradeRecords;

/// <summary>
/// The legacy UN Comtrade CSV (the 35 columns Classification, Year, Period, Period Desc., Aggregate
/// Level, Is Leaf Code, Trade Flow Code, Trade Flow, Reporter Code, Reporter, Reporter ISO, Partner
/// Code, Partner, Partner ISO, 2nd Partner Code, 2nd Partner, 2nd Partner ISO, Customs Proc. Code,
/// Customs, Mode of Transport Code, Mode of Transport, Commodity Code, Commodity, Qty Unit Code, Qty
/// Unit, Qty, Alt Qty Unit Code, Alt Qty Unit, Alt Qty, Netweight (kg), Gross weight (kg), Trade Value
/// (US$), CIF Trade Value (US$), FOB Trade Value (US$), Flag), or any subset that keeps the key
/// columns. Its names are mapped onto the Comtrade+ ones <see cref="TradeRecordCsvColumns"/> reads;
/// flows come as codes 1..4 or names (Import, Export, Re-Export, Re-Import), quantity units as codes.
/// </summary>
public static class LegacyComtradeCsv
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Classification"] = "classificationCode",
        ["Year"] = "year",
        ["Period"] = "period",
        ["Trade Flow Code"] = "flowCode",
        ["Trade Flow"] = "flow",
        ["Reporter Code"] = "reporterCode",
        ["Reporter ISO"] = "reporterISO",
        ["Partner Code"] = "partnerCode",
        ["Partner ISO"] = "partnerISO",
        ["2nd Partner Code"] = "partner2Code",
        ["Customs Proc. Code"] = "customsCode",
        ["Mode of Transport Code"] = "motCode",
        ["Commodity Code"] = "cmdCode",
        ["Qty Unit Code"] = "qtyUnitCode",
        ["Qty"] = "qty",
        ["Netweight (kg)"] = "netWgt",
        ["Trade Value (US$)"] = "primaryValue",
        ["CIF Trade Value (US$)"] = "cifvalue",
        ["FOB Trade Value (US$)"] = "fobvalue",
    };

    /// <summary>The Comtrade+ name of a legacy column; columns the import does not use keep their own name (and are ignored).</summary>
    public static string Canonical(string name) => Names.GetValueOrDefault(name, name);

    // Legacy Comtrade's quantity unit codes (Qty Unit Code) and the abbreviations Comtrade+ uses for them.
    private static readonly Dictionary<string, string?> Units = new(StringComparer.Ordinal)
    {
        ["1"] = null, // No Quantity
        ["2"] = "m²",
        ["3"] = "1000 kWh",
        ["4"] = "m",
        ["5"] = "u",
        ["6"] = "2u",
        ["7"] = "l",
        ["8"] = "kg",
        ["9"] = "1000u",
        ["10"] = "u (jeu/pack)",
        ["11"] = "12u",
        ["12"] = "m³",
        ["13"] = "carat",
    };

    /// <summary>The unit abbreviation of a legacy Qty Unit Code; null for "No Quantity"; an unknown code stays as given.</summary>
    public static string? QuantityUnit(string? code) => code is null ? null : Units.TryGetValue(code, out var unit) ? unit : code;
}

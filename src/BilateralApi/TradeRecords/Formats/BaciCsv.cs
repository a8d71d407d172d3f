namespace BilateralApi.TradeRecords;

/// <summary>
/// CEPII BACI (t,i,j,k,v,q): one row per year t, exporter i, importer j and HS 6-digit product k, with
/// v the value in thousands of US dollars and q the quantity in metric tons, NA when unknown. Countries
/// are BACI's numeric codes, UN Comtrade's (<see cref="ComtradeCodes"/>). A row is CEPII's reconciled
/// figure for the flow from i to j, neither country's own report: it is stored with reporter i,
/// partner j, flow X, value basis FOB (BACI's values are FOB), origin reconciled and estimated true
/// (docs/decisions/0027-trade-file-formats.md).
/// </summary>
public static class BaciCsv
{
    public static readonly string[] Columns = ["t", "i", "j", "k", "v", "q"];

    /// <summary>BACI's "unknown".</summary>
    public const string Unknown = "NA";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["t"] = "year",
        ["i"] = "reporterCode",
        ["j"] = "partnerCode",
        ["k"] = "cmdCode",
        ["v"] = "primaryValue",
        ["q"] = "netWgt",
    };

    public static string Canonical(string name) => Names.GetValueOrDefault(name, name);

    private const decimal Thousand = 1000m;

    /// <summary>v is in thousands of US dollars.</summary>
    public static decimal? Usd(decimal? thousands) => thousands * Thousand;

    /// <summary>q is in metric tons.</summary>
    public static decimal? Kilograms(decimal? tons) => tons * Thousand;

    /// <summary>Some BACI releases write k as a number, without the leading zero of chapters 01-09 (10121 for 010121): put it back.</summary>
    public static string? Hs(string? code) => code is { Length: 5 } && code.All(char.IsAsciiDigit) ? "0" + code : code;
}

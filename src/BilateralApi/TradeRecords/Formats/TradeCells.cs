using nietras.SeparatedValues;

namespace BilateralApi.TradeRecords;

/// <summary>The cells of one row of a trade file, whatever it was read from (a CSV row, an element of a Comtrade+ API answer).</summary>
public interface ITradeCells
{
    int Count { get; }

    ReadOnlySpan<char> this[int column] { get; }
}

/// <summary>A CSV row as Sep reads it, without copying its cells.</summary>
public readonly ref struct SepCells(SepReader.Row row) : ITradeCells
{
    private readonly SepReader.Row _row = row;

    public int Count => _row.ColCount;

    public ReadOnlySpan<char> this[int column] => _row[column].Span;
}

/// <summary>Cells already split into strings (an element of a JSON answer, by column).</summary>
public readonly struct ArrayCells(string[] cells) : ITradeCells
{
    public int Count => cells.Length;

    public ReadOnlySpan<char> this[int column] => cells[column];
}

/// <summary>Why a row was read but not stored: the keys of the import report's skippedByReason.</summary>
public static class SkipReasons
{
    /// <summary>A services row (Comtrade+ typeCode S, an EBOPS classification): the store keeps goods.</summary>
    public const string Services = "services";

    /// <summary>Part of a total broken down by second partner (Comtrade partner2Code other than 0).</summary>
    public const string SecondPartnerBreakdown = "secondPartnerBreakdown";

    /// <summary>Part of a total broken down by customs procedure (customsCode other than C00).</summary>
    public const string CustomsProcedureBreakdown = "customsProcedureBreakdown";

    /// <summary>Part of a total broken down by mode of supply (mosCode other than 0).</summary>
    public const string ModeOfSupplyBreakdown = "modeOfSupplyBreakdown";

    /// <summary>A part of a flow: domestic exports, foreign imports, inward/outward processing (DX, FM, MIP, XIP, MOP, XOP, ...).</summary>
    public const string SubFlow = "subFlow";
}

/// <summary>UN Comtrade's ways of writing flows and periods, as both its files (legacy and Comtrade+) use them.</summary>
public static class ComtradeValues
{
    /// <summary>Comtrade+ gives annual rows refMonth 52.</summary>
    public const int AnnualRefMonth = 52;

    private static readonly Dictionary<string, string> Flows = new(StringComparer.OrdinalIgnoreCase)
    {
        // Legacy Comtrade's numeric flow codes and the flow names both files print.
        ["1"] = "M",
        ["2"] = "X",
        ["3"] = "RX",
        ["4"] = "RM",
        ["Import"] = "M",
        ["Imports"] = "M",
        ["Export"] = "X",
        ["Exports"] = "X",
        ["Re-Export"] = "RX",
        ["Re-Exports"] = "RX",
        ["Re-Import"] = "RM",
        ["Re-Imports"] = "RM",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SubFlows = new[]
    {
        "DX", "FM", "MIP", "XIP", "MOP", "XOP", "MIF", "XIF", "Domestic Export", "Foreign Import",
    }.ToDictionary(f => f, f => f, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The tradeFlow code of a flow as a file writes it (M, X, RM, RX pass through; 1..4 and names are mapped).</summary>
    public static string? Flow(string? flow) => flow is null ? null : Flows.GetValueOrDefault(flow, flow);

    public static bool IsSubFlow(ReadOnlySpan<char> flow) => !flow.IsEmpty && SubFlows.ContainsKey(flow);
}

namespace BilateralApi.TradeRecords;

/// <summary>
/// The classifications a commodity code can be in, and the origins of a figure (decision 0028). HS
/// codes (HS and its revisions H0..H6) are checked against the HS list; SITC and EBOPS codes are
/// stored as the file gives them, only checked to be a plain code.
/// </summary>
public static class TradeClassifications
{
    /// <summary>HS, revision not stated: what every record written before classifications existed is.</summary>
    public const string Default = "HS";

    public const string Reported = "reported";
    public const string Reconciled = "reconciled";

    public static readonly IReadOnlyList<string> Origins = [Reported, Reconciled];

    public static readonly IReadOnlyList<string> Hs = ["HS", "H0", "H1", "H2", "H3", "H4", "H5", "H6"];

    public static readonly IReadOnlyList<string> All = [.. Hs, "S1", "S2", "S3", "S4", "EB", "EB02", "EB10", "EB10S"];

    public const int CodeMaxLength = 12;

    public static bool IsKnown(string classification) => All.Contains(classification, StringComparer.Ordinal);

    /// <summary>True for HS and its revisions, whose codes are checked against the HS list.</summary>
    public static bool IsHs(string? classification) => classification is null || Hs.Contains(classification, StringComparer.Ordinal);

    /// <summary>A code outside HS: letters, digits and dots, at most 12 characters (SITC 0011, EBOPS SA, TOTAL).</summary>
    public static bool IsPlainCode(string? code) =>
        code is { Length: > 0 and <= CodeMaxLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '.');
}

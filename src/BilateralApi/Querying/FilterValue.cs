namespace BilateralApi.Querying;

/// <summary>
/// The one value grammar of per-field parameters (docs/querying.md): "a" equals, "a,b" any of, "!a,b" none
/// of, "lo..hi", "lo.." and "..hi" inclusive ranges.
/// </summary>
public abstract record FilterValue
{
    public sealed record AnyOf(IReadOnlyList<string> Values) : FilterValue;
    public sealed record NoneOf(IReadOnlyList<string> Values) : FilterValue;
    public sealed record Range(string? Low, string? High) : FilterValue;

    public const int MaxListLength = 100;

    public static bool TryParse(string raw, bool allowRange, out FilterValue? value, out string? error)
    {
        value = null;
        error = null;
        raw = raw.Trim();
        if (raw.Length == 0)
        {
            error = "The value is empty.";
            return false;
        }
        var dots = raw.IndexOf("..", StringComparison.Ordinal);
        if (dots >= 0)
        {
            if (!allowRange)
            {
                error = "This parameter does not take ranges.";
                return false;
            }
            var low = raw[..dots].Trim();
            var high = raw[(dots + 2)..].Trim();
            if ((low.Length == 0 && high.Length == 0) || high.Contains("..", StringComparison.Ordinal))
            {
                error = "A range is written lo..hi, lo.. or ..hi.";
                return false;
            }
            value = new Range(low.Length == 0 ? null : low, high.Length == 0 ? null : high);
            return true;
        }
        var negate = raw.StartsWith('!');
        var items = (negate ? raw[1..] : raw).Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(i => i.Length == 0))
        {
            error = "A list is written a,b,c with no empty items.";
            return false;
        }
        if (items.Length > MaxListLength)
        {
            error = $"At most {MaxListLength} values.";
            return false;
        }
        value = negate ? new NoneOf(items) : new AnyOf(items);
        return true;
    }
}

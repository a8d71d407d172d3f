using System.Globalization;

namespace BilateralApi.Infrastructure.Database;

/// <summary>The one format for stored and served timestamps: UTC, ISO-8601, milliseconds.</summary>
public static class Clock
{
    private const string StoredFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(StoredFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a stored timestamp: the format above (every row this server writes), read by position, since
    /// every item answer reads two and the culture-aware parser costs more than the rest of the mapping;
    /// anything else (an older row, a hand-edited file) through the general ISO-8601 parse.
    /// </summary>
    public static DateTimeOffset Parse(string stored) =>
        TryParseStored(stored, out var exact)
            ? exact
            : DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>yyyy-MM-ddTHH:mm:ss.fffZ, digits where digits belong; out-of-range fields fall back to the general parse.</summary>
    private static bool TryParseStored(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (text.Length != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z')
        {
            return false;
        }
        var span = text.AsSpan();
        if (!Digits(span[..4], out var year) || !Digits(span[5..7], out var month) || !Digits(span[8..10], out var day)
            || !Digits(span[11..13], out var hour) || !Digits(span[14..16], out var minute) || !Digits(span[17..19], out var second)
            || !Digits(span[20..23], out var millisecond)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        instant = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    public static string Now(TimeProvider time) => Format(time.GetUtcNow());
}

using System.Globalization;

namespace BilateralApi.Infrastructure.Database;

/// <summary>The one format for stored and served timestamps: UTC, ISO-8601, milliseconds.</summary>
public static class Clock
{
    private const string StoredFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(StoredFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a stored timestamp: the format above (every row this server writes; the exact parse is several
    /// times cheaper than the general one, and every item answer reads two), else any ISO-8601 form.
    /// </summary>
    public static DateTimeOffset Parse(string stored) =>
        DateTimeOffset.TryParseExact(stored, StoredFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact)
            ? exact
            : DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Now(TimeProvider time) => Format(time.GetUtcNow());
}

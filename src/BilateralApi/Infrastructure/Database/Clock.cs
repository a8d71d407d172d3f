using System.Globalization;

namespace BilateralApi.Infrastructure.Database;

/// <summary>The one format for stored and served timestamps: UTC, ISO-8601, milliseconds.</summary>
public static class Clock
{
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string stored) =>
        DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Now(TimeProvider time) => Format(time.GetUtcNow());
}

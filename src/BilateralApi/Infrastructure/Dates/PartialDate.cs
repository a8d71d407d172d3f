using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BilateralApi.Infrastructure.Dates;

/// <summary>
/// A date known to the year ("2023"), the month ("2023-10") or the day ("2023-10-07"), with the
/// earliest and latest calendar day it can mean. Impossible dates (2023-02-31) do not parse.
/// </summary>
public readonly record struct PartialDate(string Value, string Precision, DateOnly Start, DateOnly End)
{
    public const string Year = "year";
    public const string Month = "month";
    public const string Day = "day";

    public static bool TryParse(string? text, [NotNullWhen(true)] out PartialDate? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        switch (text.Length)
        {
            case 4 when IsDigits(text) && int.Parse(text, CultureInfo.InvariantCulture) is >= 1 and var year:
                date = new PartialDate(text, Year, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
                return true;
            case 7 when DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month):
                date = new PartialDate(text, Month, month, month.AddMonths(1).AddDays(-1));
                return true;
            case 10 when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                date = new PartialDate(text, Day, day, day);
                return true;
            default:
                return false;
        }
    }

    public static PartialDate Parse(string text) =>
        TryParse(text, out var date) ? date.Value : throw new FormatException($"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.");

    public static string PrecisionOf(string value) => value.Length switch { 4 => Year, 7 => Month, _ => Day };

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool IsDigits(string text) => text.All(char.IsAsciiDigit);
}

using System.ComponentModel;

namespace BilateralApi.Infrastructure.Dates;

/// <summary>
/// A date as a source gives it: to the year, month or day, optionally a range ("to"), optionally
/// inferred rather than stated. Stored as the earliest and latest day it can mean.
/// </summary>
[Description("A date with its precision: value YYYY, YYYY-MM or YYYY-MM-DD; optional 'to' (same form, not before value) for ranges; 'inferred' when no source states it.")]
public sealed record DateValue(string? Value, string? Precision = null, string? To = null, bool? Inferred = null)
{
    public static DateValue Example => new("2023-03-29", "day", null, false);

    /// <summary>The canonical response form: precision always filled, inferred always true or false.</summary>
    public static DateValue? FromStored(string? value, string? to, bool inferred) =>
        value is null ? null : new DateValue(value, PartialDate.PrecisionOf(value), to, inferred);

    /// <summary>The stored columns of a validated date: value, range end, inferred flag, earliest and latest day.</summary>
    public static StoredDate Store(DateValue? date)
    {
        if (date?.Value is null)
        {
            return default;
        }
        var (start, end) = date.Bounds();
        return new StoredDate(date.Value, date.To, date.Inferred == true, start, end);
    }

    /// <summary>Earliest and latest day this date can mean; call only on validated values.</summary>
    public (string Start, string End) Bounds()
    {
        var from = PartialDate.Parse(Value!);
        var until = To is null ? from : PartialDate.Parse(To);
        return (PartialDate.Iso(from.Start), PartialDate.Iso(until.End));
    }
}

/// <summary>A <see cref="DateValue"/> as its five columns.</summary>
public readonly record struct StoredDate(string? Value, string? To, bool Inferred, string? Start, string? End);

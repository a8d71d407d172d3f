using BilateralApi.Infrastructure.Database;

namespace BilateralApi.Tests.Infrastructure;

public sealed class ClockTests
{
    [Theory]
    [InlineData("2026-12-02T00:28:15.559Z", "2026-12-02T00:28:15.5590000+00:00")]
    [InlineData("2026-12-02T02:28:15.559+02:00", "2026-12-02T00:28:15.5590000+00:00")]
    [InlineData("2026-12-02T00:28:15Z", "2026-12-02T00:28:15.0000000+00:00")]
    [InlineData("2026-12-02", "2026-12-02T00:00:00.0000000+00:00")]
    public void Stored_timestamps_read_as_the_same_instant_in_utc(string stored, string expected)
    {
        var parsed = Clock.Parse(stored);

        Assert.Equal(expected, parsed.ToString("O"));
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Fact]
    public void What_the_clock_writes_it_reads_back()
    {
        var instant = new DateTimeOffset(2026, 12, 2, 3, 4, 5, 678, TimeSpan.FromHours(4));

        Assert.Equal(instant, Clock.Parse(Clock.Format(instant)));
    }
}

public sealed class ClockEdgeTests
{
    [Theory]
    [InlineData("2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.9990000+00:00")]
    [InlineData("0001-01-01T00:00:00.000Z", "0001-01-01T00:00:00.0000000+00:00")]
    public void Stored_format_edges_read_exactly(string stored, string expected) =>
        Assert.Equal(expected, Clock.Parse(stored).ToString("O"));

    [Theory]
    [InlineData("2023-02-29T00:00:00.000Z")]
    [InlineData("2023-13-01T00:00:00.000Z")]
    [InlineData("2023-01-01T24:00:00.000Z")]
    [InlineData("2023-01-0xT00:00:00.000Z")]
    public void A_stored_looking_text_that_is_no_instant_is_refused_as_the_general_parse_refuses_it(string stored) =>
        Assert.Throws<FormatException>(() => Clock.Parse(stored));
}

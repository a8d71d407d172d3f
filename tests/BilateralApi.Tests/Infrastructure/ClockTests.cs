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

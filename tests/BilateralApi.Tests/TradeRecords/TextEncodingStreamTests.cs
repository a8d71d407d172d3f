using System.Text;
using BilateralApi.TradeRecords;

namespace BilateralApi.Tests.TradeRecords;

/// <summary>
/// The import reads UTF-8 (with or without BOM) and Windows-1252 alike, deciding at the first non-ASCII
/// byte, however the bytes arrive: here one byte per read, so every sequence straddles a read.
/// </summary>
public sealed class TextEncodingStreamTests
{
    private const string Text = "reporterDesc,qtyUnitAbbr\nCôte d'Ivoire,m³\nTürkiye,€ ‘kg’\n";

    /// <summary>Gives its bytes one at a time.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }

    private static async Task<string> ReadAsync(byte[] bytes)
    {
        using var reader = new StreamReader(new TextEncodingStream(new TrickleStream(bytes)), new UTF8Encoding(false, throwOnInvalidBytes: true));
        return await reader.ReadToEndAsync();
    }

    private static byte[] Windows1252(string text) =>
        // Latin-1 for everything but the three characters Windows-1252 puts in 0x80..0x9F.
        [.. text.Select(c => c switch { '€' => (byte)0x80, '‘' => (byte)0x91, '’' => (byte)0x92, _ => (byte)c })];

    [Fact]
    public async Task Utf8_without_bom_passes_through() => Assert.Equal(Text, await ReadAsync(Encoding.UTF8.GetBytes(Text)));

    [Fact]
    public async Task Utf8_with_bom_loses_the_bom() => Assert.Equal(Text, await ReadAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Text)]));

    [Fact]
    public async Task Windows1252_is_transcoded() => Assert.Equal(Text, await ReadAsync(Windows1252(Text)));

    [Fact]
    public async Task Ascii_only_text_is_the_same_either_way() => Assert.Equal("a,b\n1,2\n", await ReadAsync(Encoding.ASCII.GetBytes("a,b\n1,2\n")));
}

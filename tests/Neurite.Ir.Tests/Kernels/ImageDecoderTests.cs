using System.Buffers.Binary;
using System.Text;
using Neurite.Ir.Kernels.Vision.Images;
using Xunit;

namespace Neurite.Ir.Tests.Kernels;

/// <summary>Image formats the conformance data does not cover: palette and interlaced PNG, ASCII PNM, top-down BMP.</summary>
public sealed class ImageDecoderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsPalettePng(bool interlaced)
    {
        // A 5 x 3 image, 2 bits per pixel: pixel (x, y) uses colour (x + y) % 4.
        byte[] palette = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
        var rows = new List<byte>();
        foreach (var (x0, y0, dx, dy) in interlaced
            ? new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) }
            : [(0, 0, 1, 1)])
        {
            for (int y = y0; y < 3; y += dy)
            {
                var indices = Enumerable.Range(0, 5).Where(x => x >= x0 && (x - x0) % dx == 0).Select(x => (x + y) % 4).ToList();
                if (indices.Count == 0)
                {
                    continue;
                }
                rows.Add(0); // filter: none
                for (int i = 0; i < indices.Count; i += 4)
                {
                    int packed = 0;
                    for (int j = 0; j < 4; j++)
                    {
                        packed |= (i + j < indices.Count ? indices[i + j] : 0) << (6 - 2 * j);
                    }
                    rows.Add((byte)packed);
                }
            }
        }
        var png = TestImages.Png(5, 3, bitDepth: 2, colourType: 3, interlaced, palette, [.. rows]);
        var image = PngDecoder.Decode(png);
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                int colour = (x + y) % 4;
                Assert.Equal(palette.AsSpan(3 * colour, 3).ToArray(), image.Pixels.AsSpan((y * 5 + x) * 3, 3).ToArray());
            }
        }
    }

    [Fact]
    public void ReadsAsciiGreyPnm()
    {
        var image = PnmDecoder.Decode(Encoding.ASCII.GetBytes("P2\n# comment\n2 1\n15\n0 15\n"));
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255 }, image.Pixels);
    }

    [Fact]
    public void ReadsTopDownBmp()
    {
        var bmp = new byte[54 + 8];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), -2);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        // Rows are padded to four bytes; pixels are stored blue, green, red.
        new byte[] { 3, 2, 1, 0, 6, 5, 4, 0 }.CopyTo(bmp, 54);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, BmpDecoder.Decode(bmp).Pixels);
    }
}

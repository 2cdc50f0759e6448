using System.Buffers.Binary;
using System.Text;
using Neurite.Ir.Kernels.Vision.Images;
using Xunit;

namespace Neurite.Ir.Tests.Kernels;

/// <summary>
/// Malformed image files: whatever the bytes, decoding must end, and end either in an image or in
/// an <see cref="InvalidNodeException"/> that says what is wrong (never an index or overflow error).
/// </summary>
public sealed class ImageDecoderCorruptionTests
{
    public static TheoryData<string> Samples => [.. SampleFiles.Keys];

    private static readonly Dictionary<string, byte[]> SampleFiles = new()
    {
        ["png"] = TestImages.RgbPng(7, 6),
        ["bmp"] = TestImages.Bmp(7, 6),
        ["pnm-binary"] = TestImages.Pnm(7, 6, binary: true),
        ["pnm-ascii"] = TestImages.Pnm(7, 6, binary: false),
        ["tiff"] = TestImages.Tiff(7, 6, compression: 1),
        ["tiff-packbits"] = TestImages.Tiff(7, 6, compression: 32773),
        ["tiff-deflate"] = TestImages.Tiff(7, 6, compression: 8),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void TheSamplesDecode(string sample)
    {
        var image = ImageFile.Decode(SampleFiles[sample]);
        Assert.Equal((7, 6), (image.Width, image.Height));
        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(TestImages.Level(x, y, c), image.Pixels[(y * 7 + x) * 3 + c]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryTruncationIsReportedOrLosesNothing(string sample)
    {
        var file = SampleFiles[sample];
        var whole = ImageFile.Decode(file).Pixels;
        for (int length = 0; length < file.Length; length++)
        {
            var prefix = file[..length];
            if (sample == "pnm-ascii")
            {
                // Cutting a number short leaves a valid, smaller number: either outcome is right.
                DecodesOrReports(prefix);
                continue;
            }
            try
            {
                // Only bytes the decoder does not read may go (a PNG's last CRC, a TIFF's next-directory link).
                Assert.Equal(whole, ImageFile.Decode(prefix).Pixels);
            }
            catch (InvalidNodeException error)
            {
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task CorruptBytesAreDecodedOrReported(string sample)
    {
        var file = SampleFiles[sample];
        var random = new Random(sample.Length * 7919);
        var run = Task.Run(() =>
        {
            for (int trial = 0; trial < 3000; trial++)
            {
                var corrupt = (byte[])file.Clone();
                int changes = 1 + random.Next(4);
                for (int i = 0; i < changes; i++)
                {
                    // Header bytes are where the trouble is: change them more often than the rest.
                    int at = random.Next(2) == 0 ? random.Next(Math.Min(64, corrupt.Length)) : random.Next(corrupt.Length);
                    corrupt[at] = random.Next(3) switch
                    {
                        0 => 0,
                        1 => 0xFF,
                        _ => (byte)random.Next(256),
                    };
                }
                DecodesOrReports(corrupt);
            }
        });
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(finished == run, "decoding corrupt files did not finish: a decoder loops");
        await run;
    }

    [Fact]
    public void ShortPngHeaderIsReported()
    {
        var png = TestImages.RgbPng(2, 2);
        // Declare the IHDR chunk 4 bytes long, leaving its width in the chunk and the rest outside.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(8), 4);
        var error = Assert.Throws<InvalidNodeException>(() => ImageFile.Decode(png));
        Assert.Contains("IHDR chunk has 4 bytes instead of 13", error.Message);
    }

    [Fact]
    public void PngThatInflatesShortIsReportedAsTruncated()
    {
        var png = TestImages.Png(4, 4, 8, 0, interlaced: false, [], new byte[5]);
        var error = Assert.Throws<InvalidNodeException>(() => ImageFile.Decode(png));
        Assert.Contains("inflates to 5 bytes, the rows need 20", error.Message);
    }

    [Fact]
    public void HugeDeclaredSizesFailBeforeAllocating()
    {
        var png = TestImages.Png(16384, 16384, 16, 6, interlaced: false, [], new byte[8]);
        var error = Assert.Throws<InvalidNodeException>(() => ImageFile.Decode(png));
        Assert.Contains("more than one buffer holds", error.Message);

        var bmp = TestImages.Bmp(2, 2);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), int.MinValue);
        Assert.Contains("not a usable image size", Assert.Throws<InvalidNodeException>(() => ImageFile.Decode(bmp)).Message);
    }

    [Fact]
    public void PnmSampleAboveTheMaximumIsReported()
    {
        var error = Assert.Throws<InvalidNodeException>(() => ImageFile.Decode(Encoding.ASCII.GetBytes("P2 2 1 15 3 900000000")));
        Assert.Contains("sample 900000000 exceeds the maximum value 15", error.Message);
    }

    [Fact]
    public void GreyTiffWithoutSamplesIsReported()
    {
        var tiff = TestImages.Tiff(2, 2, compression: 1);
        int directory = BinaryPrimitives.ReadInt32LittleEndian(tiff.AsSpan(4));
        int entries = BinaryPrimitives.ReadInt16LittleEndian(tiff.AsSpan(directory));
        for (int i = 0; i < entries; i++)
        {
            var entry = tiff.AsSpan(directory + 2 + 12 * i, 12);
            int value = BinaryPrimitives.ReadInt16LittleEndian(entry) switch
            {
                262 => 1, // black-is-zero grey
                277 => 0, // samples per pixel
                _ => BinaryPrimitives.ReadInt32LittleEndian(entry[8..]),
            };
            BinaryPrimitives.WriteInt32LittleEndian(entry[8..], value);
        }
        var error = Assert.Throws<InvalidNodeException>(() => ImageFile.Decode(tiff));
        Assert.Contains("0 samples per pixel", error.Message);
    }

    private static void DecodesOrReports(byte[] file)
    {
        try
        {
            ImageFile.Decode(file);
        }
        catch (InvalidNodeException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"a corrupt file ({Convert.ToHexString(file)}) raised {e.GetType().Name} instead of a clear error: {e.Message}");
        }
    }
}

using System.Buffers.Binary;
using System.IO.Compression;

namespace Neurite.Ir.Kernels.Vision.Images;

/// <summary>
/// Baseline TIFF, first image only: 8-bit samples stored in strips, interleaved, uncompressed,
/// PackBits or Deflate (with or without horizontal prediction); grey (either polarity),
/// palette or RGB with optional extra samples such as alpha, which are dropped. LZW and JPEG
/// compression are not read.
/// </summary>
public static class TiffDecoder
{
    private const int Width = 256, Height = 257, BitsPerSample = 258, Compression = 259, Photometric = 262;
    private const int StripOffsets = 273, SamplesPerPixel = 277, RowsPerStrip = 278, StripByteCounts = 279;
    private const int Planar = 284, Predictor = 317, ColorMap = 320;

    public static bool Recognizes(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && ((data[0] == 'I' && data[1] == 'I' && data[2] == 42 && data[3] == 0)
            || (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && data[3] == 42));

    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        if (!Recognizes(data))
        {
            throw ImageBytes.Corrupt("TIFF", "it does not start with a TIFF signature");
        }
        var tags = new Tags(data);
        long width = tags.Single(Width), height = tags.Single(Height);
        long samples = tags.Single(SamplesPerPixel, 1);
        long compression = tags.Single(Compression, 1);
        long photometric = tags.Single(Photometric);
        long predictor = tags.Single(Predictor, 1);
        if (tags.All(BitsPerSample, [8]).Any(b => b != 8))
        {
            throw ImageBytes.Unsupported("TIFF", $"{string.Join("/", tags.All(BitsPerSample, [8]))} bits per sample (only 8 are read)");
        }
        if (samples < 1)
        {
            throw ImageBytes.Corrupt("TIFF", $"it declares {samples} samples per pixel");
        }
        if (samples > 1 && tags.Single(Planar, 1) != 1)
        {
            throw ImageBytes.Unsupported("TIFF", "separate colour planes");
        }
        if (photometric is not (0 or 1 or 2 or 3) || (photometric == 2 && samples < 3))
        {
            throw ImageBytes.Unsupported("TIFF", $"photometric interpretation {photometric} with {samples} samples per pixel");
        }
        if (predictor is not (1 or 2))
        {
            throw ImageBytes.Unsupported("TIFF", $"predictor {predictor} (only none and horizontal differencing are read)");
        }
        var colours = photometric == 3 ? tags.All(ColorMap, []) : [];
        if (photometric == 3 && colours.Length < 3 * 256)
        {
            throw ImageBytes.Corrupt("TIFF", $"the palette image's colour map has {colours.Length} entries, not 3 x 256");
        }
        RgbImage.CheckSize(width, height);
        if (width * height * samples > Array.MaxLength)
        {
            throw ImageBytes.Unsupported("TIFF", $"{width} x {height} pixels of {samples} samples, more than one buffer holds");
        }
        var pixels = Pixels(data, tags, (int)(width * height * samples), compression);
        int rowLength = (int)(width * samples), step = (int)samples;
        if (predictor == 2)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                if (i % rowLength >= step)
                {
                    pixels[i] += pixels[i - step];
                }
            }
        }
        var image = RgbImage.Create((int)width, (int)height);
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int at = y * rowLength + x * step;
                switch (photometric)
                {
                    case 0:
                        image.SetGrey(x, y, (byte)(255 - pixels[at]));
                        break;
                    case 1:
                        image.SetGrey(x, y, pixels[at]);
                        break;
                    case 2:
                        image.Set(x, y, pixels[at], pixels[at + 1], pixels[at + 2]);
                        break;
                    default:
                        int index = pixels[at];
                        // Colour map entries are 16-bit: red, then green, then blue tables of 256 each.
                        image.Set(x, y, (byte)(colours[index] >> 8), (byte)(colours[256 + index] >> 8), (byte)(colours[512 + index] >> 8));
                        break;
                }
            }
        }
        return image;
    }

    /// <summary>The <paramref name="length"/> sample bytes of every strip, decompressed and joined.</summary>
    private static byte[] Pixels(ReadOnlySpan<byte> data, Tags tags, int length, long compression)
    {
        var offsets = tags.All(StripOffsets, []);
        var counts = tags.All(StripByteCounts, []);
        if (offsets.Length == 0 || offsets.Length != counts.Length)
        {
            throw ImageBytes.Corrupt("TIFF", "strip offsets and byte counts are missing or do not match");
        }
        if (compression is not (1 or 32773 or 8 or 32946))
        {
            throw ImageBytes.Unsupported("TIFF", $"compression {compression} (LZW, JPEG or another codec)");
        }
        // No strip expands by more than its codec allows (PackBits 64 times, Deflate 1032 times):
        // strips that cannot hold the image fail here, before a corrupt header sizes a large buffer.
        long stored = Math.Min(counts.Sum(), data.Length);
        if (stored * MaxExpansion(compression) < length)
        {
            throw new InvalidNodeException($"the TIFF data is truncated: its strips of {stored} bytes cannot hold the {length} sample bytes of the image");
        }
        var result = new byte[length];
        int filled = 0;
        for (int s = 0; s < offsets.Length && filled < result.Length; s++)
        {
            var strip = ImageBytes.Take(data, offsets[s], counts[s], "TIFF");
            var target = result.AsSpan(filled);
            filled += compression switch
            {
                1 => Copy(strip, target),
                32773 => PackBits(strip, target),
                _ => Inflate(strip, target),
            };
        }
        if (filled < result.Length)
        {
            throw new InvalidNodeException($"the TIFF data is truncated: its strips hold {filled} of {result.Length} sample bytes");
        }
        return result;
    }

    private static long MaxExpansion(long compression) => compression switch
    {
        1 => 1,
        32773 => 64,
        _ => 1032,
    };

    private static int Copy(ReadOnlySpan<byte> strip, Span<byte> target)
    {
        int count = Math.Min(strip.Length, target.Length);
        strip[..count].CopyTo(target);
        return count;
    }

    private static int PackBits(ReadOnlySpan<byte> strip, Span<byte> target)
    {
        int read = 0, written = 0;
        while (read < strip.Length && written < target.Length)
        {
            int header = (sbyte)strip[read++];
            if (header >= 0)
            {
                int count = Math.Min(header + 1, Math.Min(strip.Length - read, target.Length - written));
                strip.Slice(read, count).CopyTo(target[written..]);
                read += header + 1;
                written += count;
            }
            else if (header != -128 && read < strip.Length)
            {
                int count = Math.Min(1 - header, target.Length - written);
                target.Slice(written, count).Fill(strip[read++]);
                written += count;
            }
        }
        return written;
    }

    private static int Inflate(ReadOnlySpan<byte> strip, Span<byte> target)
    {
        using var zlib = new ZLibStream(new MemoryStream(strip.ToArray()), CompressionMode.Decompress);
        int written = 0;
        try
        {
            for (int n; written < target.Length && (n = zlib.Read(target[written..])) > 0;)
            {
                written += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw ImageBytes.Corrupt("TIFF", $"a strip does not inflate: {e.Message}");
        }
        return written;
    }

    /// <summary>The entries of the first image file directory.</summary>
    private sealed class Tags
    {
        private readonly Dictionary<int, long[]> values = [];

        public Tags(ReadOnlySpan<byte> data)
        {
            bool little = data[0] == 'I';
            long directory = UInt32(ImageBytes.Take(data, 4, 4, "TIFF"), little);
            int count = UInt16(ImageBytes.Take(data, directory, 2, "TIFF"), little);
            for (int i = 0; i < count; i++)
            {
                var entry = ImageBytes.Take(data, directory + 2 + 12L * i, 12, "TIFF");
                int tag = UInt16(entry, little), type = UInt16(entry[2..], little);
                long number = UInt32(entry[4..], little);
                int size = type switch
                {
                    1 or 2 or 6 or 7 => 1,
                    3 or 8 => 2,
                    4 or 9 => 4,
                    _ => 0,
                };
                if (size == 0 || number > 1 << 24)
                {
                    continue;
                }
                // Values that fit in four bytes sit in the entry itself; larger ones elsewhere.
                var bytes = size * number <= 4 ? entry.Slice(8, (int)(size * number)) : ImageBytes.Take(data, UInt32(entry[8..], little), size * number, "TIFF");
                var list = new long[number];
                for (int k = 0; k < number; k++)
                {
                    var item = bytes.Slice(k * size, size);
                    list[k] = size switch
                    {
                        1 => item[0],
                        2 => UInt16(item, little),
                        _ => UInt32(item, little),
                    };
                }
                values[tag] = list;
            }
        }

        public long Single(int tag, long? fallback = null) =>
            values.TryGetValue(tag, out var list) && list.Length > 0 ? list[0]
                : fallback ?? throw ImageBytes.Corrupt("TIFF", $"it lacks the required {Name(tag)} tag ({tag})");

        public long[] All(int tag, long[] fallback) => values.TryGetValue(tag, out var list) ? list : fallback;

        private static string Name(int tag) => tag switch
        {
            Width => "ImageWidth",
            Height => "ImageLength",
            Photometric => "PhotometricInterpretation",
            _ => "baseline",
        };

        private static int UInt16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

        private static long UInt32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Neurite.Ir.Tests.Kernels;

/// <summary>Small, valid image files of every format the decoders read, written byte by byte.</summary>
internal static class TestImages
{
    /// <summary>The RGB level of pixel (x, y), channel c, in every colour image made here; every third column is one grey, for runs.</summary>
    public static byte Level(int x, int y, int c) => (byte)(x % 3 == 0 ? 200 : 40 * x + 70 * y + 90 * c);

    public static byte[] Png(int width, int height, byte bitDepth, byte colourType, bool interlaced, byte[] palette, byte[] rows)
    {
        var file = new MemoryStream();
        file.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        header[12] = (byte)(interlaced ? 1 : 0);
        Chunk(file, "IHDR", header);
        if (palette.Length > 0)
        {
            Chunk(file, "PLTE", palette);
        }
        Chunk(file, "IDAT", Deflate(rows));
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>An 8-bit RGB PNG whose rows use filters 0 to 4 in turn (stored unfiltered values under filter 0 only, so decoding must unfilter).</summary>
    public static byte[] RgbPng(int width, int height)
    {
        var rows = new List<byte>();
        var previous = new byte[width * 3];
        for (int y = 0; y < height; y++)
        {
            var line = new byte[width * 3];
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    line[x * 3 + c] = Level(x, y, c);
                }
            }
            byte filter = (byte)(y % 5);
            rows.Add(filter);
            for (int i = 0; i < line.Length; i++)
            {
                int left = i >= 3 ? line[i - 3] : 0, up = previous[i], upLeft = i >= 3 ? previous[i - 3] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    _ => Paeth(left, up, upLeft),
                };
                rows.Add((byte)(line[i] - predictor));
            }
            previous = line;
        }
        return Png(width, height, 8, 2, interlaced: false, [], [.. rows]);
    }

    /// <summary>A bottom-up 24-bit BMP.</summary>
    public static byte[] Bmp(int width, int height)
    {
        int stride = (width * 3 + 3) / 4 * 4;
        var file = new byte[54 + stride * height];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * stride;
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    file[row + x * 3 + 2 - c] = Level(x, y, c);
                }
            }
        }
        return file;
    }

    /// <summary>A binary (P6) or ASCII (P3) colour PNM with the full 0-255 range.</summary>
    public static byte[] Pnm(int width, int height, bool binary)
    {
        var file = new MemoryStream();
        file.Write(Encoding.ASCII.GetBytes($"{(binary ? "P6" : "P3")}\n# a comment\n{width} {height}\n255\n"));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    if (binary)
                    {
                        file.WriteByte(Level(x, y, c));
                    }
                    else
                    {
                        file.Write(Encoding.ASCII.GetBytes($"{Level(x, y, c)} "));
                    }
                }
            }
        }
        return file.ToArray();
    }

    /// <summary>A little-endian RGB TIFF in one strip: uncompressed (1), PackBits (32773) or Deflate (8).</summary>
    public static byte[] Tiff(int width, int height, int compression)
    {
        var samples = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    samples[(y * width + x) * 3 + c] = Level(x, y, c);
                }
            }
        }
        var strip = compression switch
        {
            1 => samples,
            32773 => PackBits(samples),
            _ => Deflate(samples),
        };
        (int Tag, int Value)[] entries =
        [
            (256, width), (257, height), (259, compression), (262, 2), (273, 8), (277, 3), (278, height), (279, strip.Length),
        ];
        var file = new byte[8 + strip.Length + 2 + 12 * entries.Length + 4];
        "II"u8.CopyTo(file);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(2), 42);
        int directory = 8 + strip.Length;
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), directory);
        strip.CopyTo(file, 8);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(directory), (short)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = file.AsSpan(directory + 2 + 12 * i, 12);
            BinaryPrimitives.WriteInt16LittleEndian(entry, (short)entries[i].Tag);
            BinaryPrimitives.WriteInt16LittleEndian(entry[2..], 4); // LONG
            BinaryPrimitives.WriteInt32LittleEndian(entry[4..], 1);
            BinaryPrimitives.WriteInt32LittleEndian(entry[8..], entries[i].Value);
        }
        return file;
    }

    /// <summary>PackBits: runs of two or more equal bytes as a repeat, the rest as literal runs (each at most 128 bytes).</summary>
    private static byte[] PackBits(byte[] data)
    {
        var packed = new List<byte>();
        int i = 0;
        while (i < data.Length)
        {
            int run = 1;
            while (i + run < data.Length && run < 128 && data[i + run] == data[i])
            {
                run++;
            }
            if (run >= 2)
            {
                packed.Add(unchecked((byte)(1 - run)));
                packed.Add(data[i]);
                i += run;
                continue;
            }
            int start = i;
            while (i < data.Length && i - start < 128 && (i + 1 >= data.Length || data[i + 1] != data[i]))
            {
                i++;
            }
            packed.Add((byte)(i - start - 1));
            packed.AddRange(data.AsSpan(start, i - start).ToArray());
        }
        return [.. packed];
    }

    private static byte[] Deflate(byte[] data)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return compressed.ToArray();
    }

    private static void Chunk(Stream file, string type, byte[] body)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, body.Length);
        file.Write(length);
        file.Write(Encoding.ASCII.GetBytes(type));
        file.Write(body);
        file.Write(new byte[4]); // CRC: not checked by the decoder
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

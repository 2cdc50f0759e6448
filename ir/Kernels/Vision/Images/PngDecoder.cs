using System.Buffers.Binary;
using System.IO.Compression;

namespace Neurite.Ir.Kernels.Vision.Images;

/// <summary>
/// PNG, every colour type and bit depth, interlaced or not, inflated with the base library's
/// zlib. Alpha is dropped (the op returns RGB or grey); 16-bit samples keep their high byte.
/// </summary>
public static class PngDecoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    // Adam7 passes: starting column and row, column and row steps.
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    // A non-interlaced image is one pass over every pixel.
    private static readonly (int X, int Y, int Dx, int Dy)[] SinglePass = [(0, 0, 1, 1)];

    public static bool Recognizes(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        Header? header = null;
        byte[] palette = [];
        using var compressed = new MemoryStream();
        long position = Signature.Length;
        while (true)
        {
            var head = ImageBytes.Take(data, position, 8, "PNG");
            long length = BinaryPrimitives.ReadUInt32BigEndian(head);
            string type = System.Text.Encoding.ASCII.GetString(head[4..8]);
            var body = ImageBytes.Take(data, position + 8, length, "PNG");
            position += 12 + length;
            if (type == "IHDR")
            {
                header = Header.Read(body);
            }
            else if (type == "PLTE")
            {
                palette = body.ToArray();
            }
            else if (type == "IDAT")
            {
                compressed.Write(body);
            }
            else if (type == "IEND")
            {
                break;
            }
        }
        var format = header ?? throw ImageBytes.Corrupt("PNG", "it has no IHDR chunk");
        var passes = format.Interlaced ? Adam7 : SinglePass;
        long rawLength = passes.Sum(pass => RawLength(format, pass));
        if (rawLength > Array.MaxLength)
        {
            throw ImageBytes.Unsupported("PNG", $"{format.Width} x {format.Height} pixels of {format.BitsPerPixel} bits, more than one buffer holds");
        }
        var raw = Inflate(compressed, (int)rawLength);
        var image = RgbImage.Create(format.Width, format.Height);
        int offset = 0;
        foreach (var pass in passes)
        {
            Unpack(raw, ref offset, format, palette, image, pass);
        }
        return image;
    }

    /// <summary>What the IHDR chunk says about the image, checked against what PNG allows.</summary>
    private sealed record Header(int Width, int Height, int Depth, int Colour, bool Interlaced)
    {
        public int Channels => Colour switch
        {
            0 or 3 => 1,
            2 => 3,
            4 => 2,
            _ => 4,
        };

        public int BitsPerPixel => Channels * Depth;

        /// <summary>The distance in bytes between a byte and the one its left predictor reads.</summary>
        public int FilterStep => Math.Max(1, BitsPerPixel / 8);

        public static Header Read(ReadOnlySpan<byte> body)
        {
            if (body.Length != 13)
            {
                throw ImageBytes.Corrupt("PNG", $"its IHDR chunk has {body.Length} bytes instead of 13");
            }
            long width = BinaryPrimitives.ReadUInt32BigEndian(body);
            long height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
            int depth = body[8], colour = body[9], interlace = body[12];
            bool depthAllowed = colour switch
            {
                0 => depth is 1 or 2 or 4 or 8 or 16,
                3 => depth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => depth is 8 or 16,
                _ => throw ImageBytes.Unsupported("PNG", $"colour type {colour}"),
            };
            if (!depthAllowed)
            {
                throw ImageBytes.Unsupported("PNG", $"bit depth {depth} with colour type {colour}");
            }
            if (interlace is not (0 or 1))
            {
                throw ImageBytes.Unsupported("PNG", $"interlace method {interlace}");
            }
            RgbImage.CheckSize(width, height);
            return new Header((int)width, (int)height, depth, colour, interlace == 1);
        }
    }

    /// <summary>The pixel columns and rows a pass covers (the whole image when not interlaced).</summary>
    private static (int Columns, int Rows) Extent(Header format, (int X, int Y, int Dx, int Dy) pass) =>
        (Math.Max(0, (format.Width - pass.X + pass.Dx - 1) / pass.Dx), Math.Max(0, (format.Height - pass.Y + pass.Dy - 1) / pass.Dy));

    /// <summary>The bytes of one row of a pass, without its filter byte.</summary>
    private static long Stride(Header format, int columns) => ((long)columns * format.BitsPerPixel + 7) / 8;

    /// <summary>The inflated bytes a pass takes: every row, each with its filter byte.</summary>
    private static long RawLength(Header format, (int X, int Y, int Dx, int Dy) pass)
    {
        var (columns, rows) = Extent(format, pass);
        return columns == 0 ? 0 : rows * (Stride(format, columns) + 1);
    }

    /// <summary>
    /// The first <paramref name="length"/> bytes the image data inflates to. Reading stops there,
    /// so a stream that inflates to far more (a decompression bomb) costs no more memory than the
    /// image its header declares.
    /// </summary>
    private static byte[] Inflate(MemoryStream compressed, int length)
    {
        compressed.Position = 0;
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        var buffer = new byte[Math.Min(length, 1 << 16)];
        try
        {
            int read;
            while (raw.Length < length && (read = zlib.Read(buffer, 0, (int)Math.Min(buffer.Length, length - raw.Length))) > 0)
            {
                raw.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw ImageBytes.Corrupt("PNG", $"its image data does not inflate: {e.Message}");
        }
        if (raw.Length < length)
        {
            throw new InvalidNodeException($"the PNG image data is truncated: it inflates to {raw.Length} bytes, the rows need {length}");
        }
        return raw.ToArray();
    }

    /// <summary>Unfilters the rows of one pass (the whole image when not interlaced) and stores its pixels.</summary>
    private static void Unpack(byte[] raw, ref int offset, Header format, byte[] palette, RgbImage image, (int X, int Y, int Dx, int Dy) pass)
    {
        var (columns, rows) = Extent(format, pass);
        if (columns == 0 || rows == 0)
        {
            return;
        }
        int stride = (int)Stride(format, columns);
        var previous = new byte[stride];
        var line = new byte[stride];
        for (int row = 0; row < rows; row++)
        {
            var filtered = raw.AsSpan(offset, stride + 1);
            offset += stride + 1;
            Unfilter(filtered[0], filtered[1..], previous, line, format.FilterStep);
            for (int column = 0; column < columns; column++)
            {
                Store(line, column, format, palette, image, pass.X + column * pass.Dx, pass.Y + row * pass.Dy);
            }
            (previous, line) = (line, previous);
        }
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> source, byte[] previous, byte[] line, int step)
    {
        for (int i = 0; i < line.Length; i++)
        {
            int left = i >= step ? line[i - step] : 0;
            int up = previous[i];
            int upLeft = i >= step ? previous[i - step] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw ImageBytes.Corrupt("PNG", $"unknown row filter {filter}"),
            };
            line[i] = (byte)(source[i] + predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Store(byte[] line, int column, Header format, byte[] palette, RgbImage image, int x, int y)
    {
        if (format.Colour == 3)
        {
            int index = Sample(line, column, format.Depth);
            if (3 * index + 2 >= palette.Length)
            {
                throw ImageBytes.Corrupt("PNG", $"palette index {index} is past its {palette.Length / 3} colours");
            }
            image.Set(x, y, palette[3 * index], palette[3 * index + 1], palette[3 * index + 2]);
            return;
        }
        int first = column * format.Channels;
        if (format.Channels >= 3)
        {
            image.Set(x, y, Level(line, first, format.Depth), Level(line, first + 1, format.Depth), Level(line, first + 2, format.Depth));
        }
        else
        {
            image.SetGrey(x, y, Level(line, first, format.Depth));
        }
    }

    /// <summary>Sample <paramref name="index"/> of the row, as stored.</summary>
    private static int Sample(byte[] line, int index, int depth) => depth switch
    {
        8 => line[index],
        16 => line[2 * index] << 8 | line[2 * index + 1],
        _ => (line[index * depth / 8] >> (8 - depth - index * depth % 8)) & ((1 << depth) - 1),
    };

    /// <summary>Sample <paramref name="index"/> scaled to 8 bits.</summary>
    private static byte Level(byte[] line, int index, int depth) => depth switch
    {
        8 => line[index],
        16 => line[2 * index],
        _ => (byte)(Sample(line, index, depth) * 255 / ((1 << depth) - 1)),
    };
}

using System.Buffers.Binary;

namespace Neurite.Ir.Kernels.Vision.Images;

/// <summary>
/// Windows bitmaps without compression (BI_RGB, or BI_BITFIELDS with the usual 8-bit masks):
/// 1, 4 and 8 bits per pixel through a palette, 24 and 32 bits per pixel directly; rows bottom-up
/// unless the height is negative.
/// </summary>
public static class BmpDecoder
{
    public static bool Recognizes(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 'B' && data[1] == 'M';

    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        var header = ImageBytes.Take(data, 0, 54, "BMP");
        long pixelStart = BinaryPrimitives.ReadUInt32LittleEndian(header[10..]);
        long infoSize = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
        int width = BinaryPrimitives.ReadInt32LittleEndian(header[18..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(header[22..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        int compression = BinaryPrimitives.ReadInt32LittleEndian(header[30..]);
        long paletteSize = BinaryPrimitives.ReadUInt32LittleEndian(header[46..]);
        if (infoSize < 40)
        {
            throw ImageBytes.Unsupported("BMP", $"an OS/2 header of {infoSize} bytes");
        }
        if (compression != 0 && !(compression == 3 && bits == 32))
        {
            throw ImageBytes.Unsupported("BMP", $"compression {compression} (RLE or embedded JPEG/PNG)");
        }
        if (compression == 3)
        {
            var masks = ImageBytes.Take(data, 54, 12, "BMP");
            if (BinaryPrimitives.ReadUInt32LittleEndian(masks) != 0x00FF0000 || BinaryPrimitives.ReadUInt32LittleEndian(masks[4..]) != 0x0000FF00
                || BinaryPrimitives.ReadUInt32LittleEndian(masks[8..]) != 0x000000FF)
            {
                throw ImageBytes.Unsupported("BMP", "bit field masks other than 8-bit BGR");
            }
        }
        if (bits is not (1 or 4 or 8 or 24 or 32))
        {
            throw ImageBytes.Unsupported("BMP", $"{bits} bits per pixel");
        }
        bool topDown = height < 0;
        long rows = Math.Abs((long)height);
        RgbImage.CheckSize(width, rows);
        var palette = bits <= 8
            ? ImageBytes.Take(data, 14 + infoSize, 4 * (paletteSize == 0 ? 1L << bits : paletteSize), "BMP")
            : default;
        long stride = ((long)width * bits + 31) / 32 * 4;
        var pixels = ImageBytes.Take(data, pixelStart, stride * rows, "BMP");
        var image = RgbImage.Create(width, (int)rows);
        for (int row = 0; row < image.Height; row++)
        {
            var line = pixels.Slice((int)(row * stride), (int)stride);
            int y = topDown ? row : image.Height - 1 - row;
            for (int x = 0; x < width; x++)
            {
                if (bits >= 24)
                {
                    int at = x * (bits / 8);
                    image.Set(x, y, line[at + 2], line[at + 1], line[at]);
                    continue;
                }
                int bitOffset = x * bits;
                int index = (line[bitOffset / 8] >> (8 - bits - bitOffset % 8)) & ((1 << bits) - 1);
                if (4 * index + 3 >= palette.Length)
                {
                    throw ImageBytes.Corrupt("BMP", $"palette index {index} is past its {palette.Length / 4} colours");
                }
                image.Set(x, y, palette[4 * index + 2], palette[4 * index + 1], palette[4 * index]);
            }
        }
        return image;
    }
}

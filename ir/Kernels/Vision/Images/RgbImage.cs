namespace Neurite.Ir.Kernels.Vision.Images;

/// <summary>A decoded image: 8-bit RGB pixels, row by row from the top (grey images repeat the level in all three).</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>The most pixels an image may have (a 16384 x 16384 square).</summary>
    public const int MaxPixels = 1 << 28;

    /// <summary>
    /// Rejects sizes no image can have, before a decoder trusts them to size its buffers; decoders
    /// call it as soon as the header is read, so a corrupt header fails without a large allocation.
    /// </summary>
    public static void CheckSize(long width, long height)
    {
        if (width <= 0 || height <= 0 || width * height > MaxPixels)
        {
            throw new InvalidNodeException($"the image claims a size of {width} x {height} pixels, which is not a usable image size (at most {MaxPixels} pixels)");
        }
    }

    public static RgbImage Create(int width, int height)
    {
        CheckSize(width, height);
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    public void Set(int x, int y, byte r, byte g, byte b)
    {
        int at = (y * Width + x) * 3;
        Pixels[at] = r;
        Pixels[at + 1] = g;
        Pixels[at + 2] = b;
    }

    public void SetGrey(int x, int y, byte level) => Set(x, y, level, level, level);
}

/// <summary>Reads image bytes, failing with a clear message when the data ends early.</summary>
internal static class ImageBytes
{
    public static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, long offset, long count, string format)
    {
        if (offset < 0 || count < 0 || offset > data.Length || count > data.Length - offset)
        {
            throw new InvalidNodeException($"the {format} data is truncated or corrupt: it needs bytes {offset}..{offset + count} but has {data.Length}");
        }
        return data.Slice((int)offset, (int)count);
    }

    public static Exception Corrupt(string format, string what) =>
        new InvalidNodeException($"the {format} data is corrupt: {what}");

    public static Exception Unsupported(string format, string what) =>
        new InvalidNodeException($"this {format} image uses {what}, which the decoder does not support");
}

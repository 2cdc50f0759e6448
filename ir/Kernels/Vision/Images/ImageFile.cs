namespace Neurite.Ir.Kernels.Vision.Images;

/// <summary>
/// Decodes an image file of any format Neurite reads (PNG, BMP, PNM, baseline TIFF), told apart
/// by their first bytes. Malformed data of any kind fails with an <see cref="InvalidNodeException"/>
/// that says what is wrong with it.
/// </summary>
public static class ImageFile
{
    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        if (PngDecoder.Recognizes(data))
        {
            return PngDecoder.Decode(data);
        }
        if (BmpDecoder.Recognizes(data))
        {
            return BmpDecoder.Decode(data);
        }
        if (PnmDecoder.Recognizes(data))
        {
            return PnmDecoder.Decode(data);
        }
        if (TiffDecoder.Recognizes(data))
        {
            return TiffDecoder.Decode(data);
        }
        string format = data switch
        {
            [0xFF, 0xD8, ..] => "JPEG",
            [0, 0, 0, 12, 0x6A, 0x50, ..] or [0xFF, 0x4F, 0xFF, 0x51, ..] => "JPEG 2000",
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "WebP",
            _ => "an unrecognised format",
        };
        throw new InvalidNodeException($"ImageDecoder cannot decode {format}: Neurite reads BMP, PNG, PNM and baseline TIFF only");
    }
}

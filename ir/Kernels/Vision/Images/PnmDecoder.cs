using System.Text;

namespace Neurite.Ir.Kernels.Vision.Images;

/// <summary>Netpbm grey and colour maps: P2/P5 (grey) and P3/P6 (RGB), ASCII or binary, up to 8 bits per sample.</summary>
public static class PnmDecoder
{
    public static bool Recognizes(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == 'P' && data[1] is (byte)'2' or (byte)'3' or (byte)'5' or (byte)'6';

    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        if (!Recognizes(data))
        {
            throw ImageBytes.Corrupt("PNM", "it does not start with a PNM signature");
        }
        char kind = (char)data[1];
        int position = 2;
        int width = Number(data, ref position), height = Number(data, ref position), maxValue = Number(data, ref position);
        if (maxValue is < 1 or > 255)
        {
            throw ImageBytes.Unsupported("PNM", $"a maximum sample value of {maxValue} (only 1-255 are read)");
        }
        bool colour = kind is '3' or '6';
        bool binary = kind is '5' or '6';
        int channels = colour ? 3 : 1;
        RgbImage.CheckSize(width, height);
        position++; // the single whitespace byte that ends the header
        // Every sample takes at least a byte (binary) or a digit (ASCII): check the data can hold them all before allocating.
        long samples = (long)width * height * channels;
        if (data.Length - (long)position < samples)
        {
            throw new InvalidNodeException($"the PNM data is truncated: its header declares {samples} samples but only {Math.Max(0, data.Length - position)} bytes follow");
        }
        var image = RgbImage.Create(width, height);
        Span<byte> sample = stackalloc byte[3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int value = binary ? ImageBytes.Take(data, position++, 1, "PNM")[0] : Number(data, ref position);
                    if (value > maxValue)
                    {
                        throw ImageBytes.Corrupt("PNM", $"sample {value} exceeds the maximum value {maxValue} its header declares");
                    }
                    sample[c] = (byte)((value * 255 + maxValue / 2) / maxValue);
                }
                if (colour)
                {
                    image.Set(x, y, sample[0], sample[1], sample[2]);
                }
                else
                {
                    image.SetGrey(x, y, sample[0]);
                }
            }
        }
        return image;
    }

    /// <summary>The next decimal number, skipping whitespace and # comments; leaves the position just past it.</summary>
    private static int Number(ReadOnlySpan<byte> data, ref int position)
    {
        while (position < data.Length && (char.IsWhiteSpace((char)data[position]) || data[position] == '#'))
        {
            if (data[position] == '#')
            {
                while (position < data.Length && data[position] != '\n')
                {
                    position++;
                }
            }
            else
            {
                position++;
            }
        }
        int start = position;
        while (position < data.Length && char.IsAsciiDigit((char)data[position]))
        {
            position++;
        }
        if (start == position || position - start > 9)
        {
            string found = start >= data.Length
                ? "the end of the data"
                : $"\"{Encoding.ASCII.GetString(data.Slice(start, Math.Min(8, data.Length - start)))}\"";
            throw new InvalidNodeException($"the PNM header or data is corrupt near byte {start}: expected a number of at most 9 digits, found {found}");
        }
        int value = 0;
        foreach (byte digit in data[start..position])
        {
            value = value * 10 + (digit - '0');
        }
        return value;
    }
}

using Neurite.Ir.Kernels.Vision.Images;

namespace Neurite.Ir.Ops;

/// <summary>
/// ImageDecoder (opset 20): decodes an encoded image (a 1-D uint8 tensor) to [H, W, 3] RGB or
/// BGR, or [H, W, 1] greyscale (ITU-R 601 luma, rounded as Pillow does). Reads BMP, PNG, PNM
/// and baseline TIFF with the base library alone; JPEG, JPEG 2000 and WebP need codecs Neurite
/// does not carry and are reported as unsupported.
/// </summary>
public sealed class ImageDecoder : OpDefinition
{
    public override string Name => "ImageDecoder";
    public override int SinceVersion => 20;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("encoded_stream").Output("image")
        .Attr("pixel_format", "RGB")
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        if (context.InputTensorType(0) is { } input && input.ElementType.Storage != DataType.UInt8)
        {
            throw new InvalidNodeException($"ImageDecoder needs the encoded bytes as a uint8 tensor, got {input.ElementType}");
        }
        return [new TensorType(ElementType.UInt8, Shape.Of(Dim.Unknown, Dim.Unknown, Channels(context)))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var encoded = context.Input(0);
        if (encoded.DataType != DataType.UInt8 || encoded.Rank != 1)
        {
            throw new InvalidNodeException($"ImageDecoder needs a 1-D uint8 tensor of encoded bytes, got {encoded.ElementType} [{string.Join(",", encoded.Shape.ToArray())}]");
        }
        int channels = Channels(context);
        var image = ImageFile.Decode(encoded.Span<byte>());
        var pixels = image.Pixels;
        var result = new byte[image.Width * image.Height * channels];
        bool bgr = context.String("pixel_format") == "BGR";
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            byte r = pixels[3 * p], g = pixels[3 * p + 1], b = pixels[3 * p + 2];
            if (channels == 1)
            {
                result[p] = (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
            else
            {
                result[3 * p] = bgr ? b : r;
                result[3 * p + 1] = g;
                result[3 * p + 2] = bgr ? r : b;
            }
        }
        context.SetOutput(0, Tensor.Create(result, image.Height, image.Width, channels));
    }

    private static int Channels(OpContext context) => context.String("pixel_format") switch
    {
        "RGB" or "BGR" => 3,
        "Grayscale" => 1,
        var other => throw new InvalidNodeException($"ImageDecoder pixel_format must be \"RGB\", \"BGR\" or \"Grayscale\", not \"{other}\""),
    };
}

using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// RoiAlign: pools each region of interest [x1, y1, x2, y2] (scaled by spatial_scale) of the
/// feature map of its batch index to output_height x output_width bins. Each bin averages (or, in
/// "max" mode, takes the largest weighted corner of) sampling_ratio^2 bilinear samples; with
/// sampling_ratio 0 the count adapts to the bin size. Opset 16 added
/// coordinate_transformation_mode, whose default "half_pixel" shifts regions by half a pixel;
/// opset 10 behaves as "output_half_pixel".
/// </summary>
public sealed class RoiAlign : OpDefinition
{
    public override string Name => "RoiAlign";
    public override int SinceVersion => 10;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("X").Input("rois").Input("batch_indices").Output("Y")
        .Attr("coordinate_transformation_mode", "half_pixel")
        .Attr("mode", "avg")
        .Attr("output_height", 1L)
        .Attr("output_width", 1L)
        .Attr("sampling_ratio", 0L)
        .Attr("spatial_scale", 1.0f)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        TypeRules.RequireFloat(context, 0);
        IsMax(context);
        HalfPixel(context);
        if (context.InputTensorType(0) is not TensorType x)
        {
            return [null];
        }
        Dim rois = context.InputTensorType(2) is { Shape.IsRankKnown: true } indices && indices.Shape.Rank == 1 ? indices.Shape[0]
            : context.InputTensorType(1) is { Shape.IsRankKnown: true } boxes && boxes.Shape.Rank == 2 ? boxes.Shape[0] : Dim.Unknown;
        Dim channels = x.Shape.IsRankKnown && x.Shape.Rank == 4 ? x.Shape[1] : Dim.Unknown;
        return [new TensorType(x.ElementType, Shape.Of(rois, channels, context.Int("output_height"), context.Int("output_width")))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var rois = context.Input(1);
        var batchIndices = context.Input(2).ToInt64Array();
        if (x.Rank != 4 || rois.Rank != 2 || rois.Dim(1) != 4 || rois.Dim(0) != batchIndices.Length)
        {
            throw new InvalidNodeException($"RoiAlign needs X [N, C, H, W], rois [R, 4] and batch_indices [R]; got [{string.Join(",", x.Shape.ToArray())}], [{string.Join(",", rois.Shape.ToArray())}], [{batchIndices.Length}]");
        }
        int outHeight = checked((int)context.Int("output_height")), outWidth = checked((int)context.Int("output_width"));
        if (outHeight < 1 || outWidth < 1)
        {
            throw new InvalidNodeException($"RoiAlign output_height and output_width must be positive, got {outHeight} and {outWidth}");
        }
        int batch = x.Dim(0), channels = x.Dim(1), height = x.Dim(2), width = x.Dim(3);
        var data = TensorConvert.Convert(x, DataType.Float64).Span<double>();
        var boxes = TensorConvert.Convert(rois, DataType.Float64).Span<double>();
        var region = new Region(HalfPixel(context), context.Float("spatial_scale"), (int)context.Int("sampling_ratio"), outHeight, outWidth, height, width);
        bool max = IsMax(context);
        var result = new double[batchIndices.Length * channels * outHeight * outWidth];
        var samples = new List<Sample>();
        for (int r = 0; r < batchIndices.Length; r++)
        {
            if (batchIndices[r] < 0 || batchIndices[r] >= batch)
            {
                throw new InvalidNodeException($"RoiAlign batch index {batchIndices[r]} of region {r} is out of range for batch size {batch}");
            }
            region.Samples(boxes.Slice(r * 4, 4), samples, out int perBin);
            for (int c = 0; c < channels; c++)
            {
                var plane = data.Slice(((int)batchIndices[r] * channels + c) * height * width, height * width);
                int output = (r * channels + c) * outHeight * outWidth;
                for (int bin = 0; bin < outHeight * outWidth; bin++)
                {
                    result[output + bin] = Pool(plane, samples, bin * perBin, perBin, max);
                }
            }
        }
        var shape = new[] { batchIndices.Length, channels, outHeight, outWidth };
        context.SetOutput(0, TensorConvert.Convert(Tensor.Create(result, shape), x.ElementType));
    }

    private static double Pool(ReadOnlySpan<double> plane, List<Sample> samples, int first, int count, bool max)
    {
        double value = 0;
        for (int s = 0; s < count; s++)
        {
            var p = samples[first + s];
            if (max)
            {
                // ONNX's max mode takes the largest weighted corner, not the largest interpolated value.
                double corner = Math.Max(Math.Max(p.W1 * plane[p.P1], p.W2 * plane[p.P2]), Math.Max(p.W3 * plane[p.P3], p.W4 * plane[p.P4]));
                value = s == 0 ? corner : Math.Max(value, corner);
            }
            else
            {
                value += p.W1 * plane[p.P1] + p.W2 * plane[p.P2] + p.W3 * plane[p.P3] + p.W4 * plane[p.P4];
            }
        }
        return max ? value : value / Math.Max(count, 1);
    }

    private static bool IsMax(OpContext context) => context.String("mode") switch
    {
        "avg" => false,
        "max" => true,
        var other => throw new InvalidNodeException($"RoiAlign mode must be \"avg\" or \"max\", not \"{other}\""),
    };

    private static bool HalfPixel(OpContext context)
    {
        if (context.Opset < 16)
        {
            return false;
        }
        return context.String("coordinate_transformation_mode") switch
        {
            "half_pixel" => true,
            "output_half_pixel" => false,
            var other => throw new InvalidNodeException($"RoiAlign coordinate_transformation_mode must be \"half_pixel\" or \"output_half_pixel\", not \"{other}\""),
        };
    }

    /// <summary>A bilinear sample: four pixel offsets in the plane and their weights.</summary>
    private readonly record struct Sample(int P1, int P2, int P3, int P4, double W1, double W2, double W3, double W4);

    /// <summary>Where the samples of each bin of one region fall (shared by all channels).</summary>
    private sealed record Region(bool HalfPixel, double Scale, int SamplingRatio, int OutHeight, int OutWidth, int Height, int Width)
    {
        public void Samples(ReadOnlySpan<double> box, List<Sample> samples, out int perBin)
        {
            double offset = HalfPixel ? 0.5 : 0.0;
            double startW = box[0] * Scale - offset, startH = box[1] * Scale - offset;
            double roiWidth = box[2] * Scale - offset - startW, roiHeight = box[3] * Scale - offset - startH;
            if (!HalfPixel)
            {
                // Malformed regions become 1x1 in the legacy mode.
                roiWidth = Math.Max(roiWidth, 1.0);
                roiHeight = Math.Max(roiHeight, 1.0);
            }
            double binHeight = roiHeight / OutHeight, binWidth = roiWidth / OutWidth;
            // A reversed region (half_pixel keeps it) has a negative size and so no samples: its bins are 0.
            int gridH = SamplingRatio > 0 ? SamplingRatio : Math.Max(0, (int)Math.Ceiling(roiHeight / OutHeight));
            int gridW = SamplingRatio > 0 ? SamplingRatio : Math.Max(0, (int)Math.Ceiling(roiWidth / OutWidth));
            perBin = gridH * gridW;
            samples.Clear();
            for (int ph = 0; ph < OutHeight; ph++)
            {
                for (int pw = 0; pw < OutWidth; pw++)
                {
                    for (int iy = 0; iy < gridH; iy++)
                    {
                        double y = startH + ph * binHeight + (iy + 0.5) * binHeight / gridH;
                        for (int ix = 0; ix < gridW; ix++)
                        {
                            double x = startW + pw * binWidth + (ix + 0.5) * binWidth / gridW;
                            samples.Add(Bilinear(y, x));
                        }
                    }
                }
            }
        }

        private Sample Bilinear(double y, double x)
        {
            if (y < -1.0 || y > Height || x < -1.0 || x > Width)
            {
                return default;
            }
            y = Math.Max(y, 0);
            x = Math.Max(x, 0);
            int yLow = (int)y, xLow = (int)x, yHigh, xHigh;
            if (yLow >= Height - 1)
            {
                yHigh = yLow = Height - 1;
                y = yLow;
            }
            else
            {
                yHigh = yLow + 1;
            }
            if (xLow >= Width - 1)
            {
                xHigh = xLow = Width - 1;
                x = xLow;
            }
            else
            {
                xHigh = xLow + 1;
            }
            double ly = y - yLow, lx = x - xLow, hy = 1 - ly, hx = 1 - lx;
            return new Sample(yLow * Width + xLow, yLow * Width + xHigh, yHigh * Width + xLow, yHigh * Width + xHigh,
                hy * hx, hy * lx, ly * hx, ly * lx);
        }
    }
}

using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Signal;

namespace Neurite.Ir.Ops;

/// <summary>
/// MelWeightMatrix: a [dft_length / 2 + 1, num_mel_bins] matrix that maps a one-sided
/// spectrogram onto triangular mel-scale filters between the lower and upper edge frequencies.
/// Band edges are spread evenly in mel (mel = 2595 log10(1 + hz / 700)) over num_mel_bins + 2
/// steps, as the ONNX definition does, and snapped down to spectrogram bins.
/// </summary>
public sealed class MelWeightMatrix : OpDefinition
{
    public override string Name => "MelWeightMatrix";
    public override int SinceVersion => 17;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("num_mel_bins").Input("dft_length").Input("sample_rate").Input("lower_edge_hertz").Input("upper_edge_hertz")
        .Output("output")
        .Attr("output_datatype", 1L)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var element = OnnxTypeCodes.RequireNumeric(context.Int("output_datatype"), "output_datatype");
        long? melBins = SignalScalars.ConstantInteger(context, 0, "num_mel_bins");
        long? dftLength = SignalScalars.ConstantInteger(context, 1, "dft_length");
        return [new TensorType(element, Shape.Of(
            dftLength is long d ? Dim.Known(d / 2 + 1) : Dim.Unknown,
            melBins is long m ? Dim.Known(m) : Dim.Unknown))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var element = OnnxTypeCodes.RequireNumeric(context.Int("output_datatype"), "output_datatype");
        long melBins = SignalScalars.Integer(context.Input(0), "num_mel_bins");
        long dftLength = SignalScalars.Integer(context.Input(1), "dft_length");
        long sampleRate = SignalScalars.Integer(context.Input(2), "sample_rate");
        double lower = SignalScalars.Real(context.Input(3), "lower_edge_hertz");
        double upper = SignalScalars.Real(context.Input(4), "upper_edge_hertz");
        if (melBins < 1 || dftLength < 1 || sampleRate < 1 || melBins > 1 << 20 || dftLength > 1 << 26)
        {
            throw new InvalidNodeException(
                $"MelWeightMatrix needs num_mel_bins in [1, 2^20], dft_length in [1, 2^26] and a positive sample_rate; got {melBins}, {dftLength} and {sampleRate}");
        }
        int mels = (int)melBins;
        int spectrogramBins = (int)(dftLength / 2 + 1);
        var edges = EdgeBins(mels, dftLength, sampleRate, lower, upper, context.Input(3).DataType == DataType.Float64);
        var matrix = new double[spectrogramBins * mels];
        for (int m = 0; m < mels; m++)
        {
            int low = edges[m], center = edges[m + 1], high = edges[m + 2];
            if (center == low)
            {
                Set(matrix, center, m, mels, 1.0);
            }
            else
            {
                for (int j = low; j <= center; j++)
                {
                    Set(matrix, j, m, mels, (double)(j - low) / (center - low));
                }
            }
            for (int j = center; j < high; j++)
            {
                Set(matrix, j, m, mels, (double)(high - j) / (high - center));
            }
        }
        context.SetOutput(0, TensorConvert.Convert(Tensor.Create(matrix, spectrogramBins, mels), element));
    }

    /// <summary>The spectrogram bin of each of the num_mel_bins + 2 band edges.</summary>
    private static int[] EdgeBins(int mels, long dftLength, long sampleRate, double lower, double upper, bool doublePrecision)
    {
        // The edges' mel values and the step between them follow the precision of the frequency
        // inputs (float32 for float inputs), so edges that fall exactly between bins snap alike.
        double lowMel = Round(2595 * Math.Log10(1 + lower / 700), doublePrecision);
        double highMel = Round(2595 * Math.Log10(1 + upper / 700), doublePrecision);
        double step = Round((highMel - lowMel) / (mels + 2), doublePrecision);
        var edges = new int[mels + 2];
        for (int i = 0; i < edges.Length; i++)
        {
            double hz = 700 * (Math.Pow(10, (i * step + lowMel) / 2595) - 1);
            edges[i] = (int)Math.Floor((dftLength + 1) * hz / sampleRate);
        }
        return edges;
    }

    private static double Round(double value, bool doublePrecision) => doublePrecision ? value : (float)value;

    private static void Set(double[] matrix, int bin, int mel, int mels, double value)
    {
        // Edges snap down, so the upper edge frequency may only reach the last bin; guard the rest.
        if (bin >= 0 && bin < matrix.Length / mels)
        {
            matrix[bin * mels + mel] = value;
        }
    }
}

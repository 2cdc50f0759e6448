using Neurite.Ir;
using Neurite.Ir.Kernels;

namespace Neurite.Passes.Quantize;

/// <summary>Symmetric weight quantisation, per output channel (axis 0) or per tensor, to 8 or 4 bits, with the scale of least squared error.</summary>
public static class WeightQuantizer
{
    public sealed record QuantizedWeights(Tensor Values, float[] Scales, QuantizedType Type);

    public static QuantizedWeights Quantize(Tensor weights, int bits, bool perChannel)
    {
        var w = TensorConvert.ToFloat32(weights).Span<float>();
        int channels = weights.Dim(0), perRow = w.Length / channels;
        int qmax = (1 << (bits - 1)) - 1;    // narrow range: -qmax..qmax keeps the grid symmetric
        var scales = new float[perChannel ? channels : 1];
        for (int c = 0; c < scales.Length; c++)
        {
            var row = perChannel ? w.Slice(c * perRow, perRow) : w;
            float magnitude = Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(row));
            scales[c] = magnitude > 0 ? LeastSquaredErrorScale(row, magnitude, qmax) : 1f;
        }
        var q = new sbyte[w.Length];
        for (int i = 0; i < q.Length; i++)
        {
            float scale = scales[perChannel ? i / perRow : 0];
            q[i] = (sbyte)Math.Clamp(Math.Round(w[i] / scale, MidpointRounding.ToEven), -qmax, qmax);
        }
        var type = perChannel
            ? new QuantizedType(bits, true, scales, new long[channels], axis: 0)
            : new QuantizedType(bits, true, scales[0], 0);
        return new QuantizedWeights(Tensor.Create(type, q, weights.ShapeArray()), scales, type);
    }

    /// <summary>
    /// The scale whose grid reproduces the weights with the least squared error, searched from the
    /// max-magnitude scale down to half of it: at 8 bits the max usually wins; at 4 bits clipping
    /// the few largest weights buys a finer grid for all the others.
    /// </summary>
    private static float LeastSquaredErrorScale(ReadOnlySpan<float> row, float magnitude, int qmax)
    {
        float best = magnitude / qmax;
        double bestError = double.PositiveInfinity;
        for (int step = 0; step <= 50; step++)
        {
            float scale = magnitude * (1f - step / 100f) / qmax;
            double error = 0;
            foreach (float v in row)
            {
                double q = Math.Clamp(Math.Round(v / scale, MidpointRounding.ToEven), -qmax, qmax) * scale;
                error += (v - q) * (v - q);
            }
            if (error < bestError)
            {
                bestError = error;
                best = scale;
            }
        }
        return best;
    }
}

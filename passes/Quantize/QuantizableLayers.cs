using Neurite.Ir;
using Neurite.Ir.Kernels;

namespace Neurite.Passes.Quantize;

/// <summary>
/// How the quantisers (integer and fixed point) read the float layers they replace: which
/// attributes of a Conv carry over, a Gemm's weights as [M, K], and an average pool as the
/// depthwise window it is. One place, so both quantisers refuse the same layers for the same reasons.
/// </summary>
internal static class QuantizableLayers
{
    /// <summary>The geometry attributes a quantised convolution keeps from the Conv it replaces.</summary>
    public static Dictionary<string, AttributeValue> ConvAttributes(Node conv) =>
        conv.Attributes.Where(a => a.Key is "auto_pad" or "dilations" or "group" or "kernel_shape" or "pads" or "strides")
            .ToDictionary(a => a.Key, a => a.Value);

    /// <summary>
    /// Gemm's B as [M, K] (output channel first) when the Gemm is a plain fully connected layer:
    /// no transA, unit alpha and beta, constant matrix B, vector or absent C; null otherwise.
    /// </summary>
    public static Tensor? GemmWeights(Node gemm, Func<int, Tensor?> constantInput)
    {
        if (gemm.Attribute("transA")?.AsInt() == 1 || (gemm.Attribute("alpha")?.AsFloat() ?? 1f) != 1f || (gemm.Attribute("beta")?.AsFloat() ?? 1f) != 1f
            || constantInput(1) is not { Rank: 2 } b || (gemm.HasInput(2) && constantInput(2) is not { Rank: <= 1 }))
        {
            return null;
        }
        return gemm.Attribute("transB")?.AsInt() == 1 ? b : Transposed(b);
    }

    /// <summary>A matrix transposed, as float32: MatMul's [K, M] weights in the [M, K] order the quantised layers take.</summary>
    public static Tensor Transposed(Tensor matrix)
    {
        var values = TensorConvert.ToFloat32(matrix).Span<float>();
        int rows = matrix.Dim(0), columns = matrix.Dim(1);
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[c * rows + r] = values[r * columns + c];
            }
        }
        return Tensor.Create(result, columns, rows);
    }

    /// <summary>
    /// An AveragePool or GlobalAveragePool as the depthwise window that computes it: the kernel,
    /// the channel count and the strides (for AveragePool). Null where that window would compute
    /// something else: padding (a border window's divisor changes), ceil mode (partial windows),
    /// dilation (the window skips inputs), or shapes not known at quantisation time.
    /// </summary>
    public static AverageWindow? AverageWindowOf(Node pool, IReadOnlyDictionary<string, IrType> types)
    {
        if (types.GetValueOrDefault(pool.Inputs[0]) is not TensorType { Shape: { IsRankKnown: true, Rank: >= 3 } shape } || !shape[1].IsKnown)
        {
            return null;
        }
        int rank = shape.Rank - 2;
        int channels = (int)shape[1].Value;
        if (pool.OpType == "GlobalAveragePool")
        {
            return Enumerable.Range(2, rank).Any(d => !shape[d].IsKnown)
                ? null
                : new AverageWindow(Enumerable.Range(2, rank).Select(d => shape[d].Value).ToArray(), channels, null);
        }
        if (pool.Attribute("pads")?.AsInts().Any(p => p != 0) == true || (pool.Attribute("auto_pad")?.AsString() ?? "NOTSET") is not ("NOTSET" or "VALID")
            || pool.Attribute("ceil_mode")?.AsInt() == 1 || pool.Attribute("dilations")?.AsInts().Any(d => d != 1) == true)
        {
            return null;
        }
        long[] kernel = [.. pool.Attribute("kernel_shape")!.AsInts()];
        return new AverageWindow(kernel, channels, pool.Attribute("strides")?.AsInts().ToArray() ?? Enumerable.Repeat(1L, rank).ToArray());
    }
}

/// <param name="Strides">Null for a global pool (one window over the whole plane).</param>
internal sealed record AverageWindow(long[] Kernel, int Channels, long[]? Strides)
{
    public long Size => Kernel.Aggregate(1L, (p, k) => p * k);

    /// <summary>The depthwise convolution's attributes that place the window.</summary>
    public Dictionary<string, AttributeValue> Attributes()
    {
        var attributes = new Dictionary<string, AttributeValue> { ["kernel_shape"] = Kernel, ["group"] = (long)Channels };
        if (Strides is not null)
        {
            attributes["strides"] = Strides;
        }
        return attributes;
    }
}

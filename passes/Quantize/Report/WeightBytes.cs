using Neurite.Ir;

namespace Neurite.Passes.Quantize.Report;

/// <summary>
/// How much a model's stored constants take: what a target has to hold. A quantised tensor
/// counts at its bit width (int4 weights are two to a byte once packed, although the IR stores
/// them in int8), a fixed-point tensor at its W bits per value (a fixed&lt;16,6&gt; weight is 16 bits
/// in an FPGA's memory, whatever integer the IR stores it in; a fixed&lt;20,8&gt; one is 20, not
/// the 32 of its storage), every other tensor at its element size.
/// </summary>
public static class WeightBytes
{
    public static long Of(Model model) => model.Graph.Initializers.Sum(i => Of(i.Value));

    public static long Of(Tensor tensor) => tensor.ElementType switch
    {
        QuantizedType q => ((long)tensor.Length * q.Bits + 7) / 8,
        FixedPointType f => ((long)tensor.Length * f.Width + 7) / 8,
        _ => tensor.ByteLength,
    };

    /// <summary>Every constant's bits as stored: W · count for fixed point and quantised tensors, 8 · bytes for the rest.</summary>
    public static long BitsOf(Model model) => model.Graph.Initializers.Sum(i => i.Value.ElementType switch
    {
        QuantizedType q => (long)i.Value.Length * q.Bits,
        FixedPointType f => (long)i.Value.Length * f.Width,
        _ => 8L * i.Value.ByteLength,
    });
}

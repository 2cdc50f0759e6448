using Neurite.Ir;

namespace Neurite.Passes.Quantize.Report;

/// <summary>
/// How many bytes a model's stored constants take: what a target has to hold. A quantised
/// tensor counts at its bit width (int4 weights are two to a byte once packed, although the IR
/// stores them in int8), every other tensor at its element size.
/// </summary>
public static class WeightBytes
{
    public static long Of(Model model) => model.Graph.Initializers.Sum(i => Of(i.Value));

    public static long Of(Tensor tensor) => tensor.ElementType is QuantizedType q
        ? ((long)tensor.Length * q.Bits + 7) / 8
        : tensor.ByteLength;
}

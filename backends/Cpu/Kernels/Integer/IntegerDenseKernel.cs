using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// neurite.QGemm: y[n, m] = requantise(Σ_k (x[n, k] - x_zero_point) · w[m, k] + B[m]) with w stored
/// as the node has it ([M, K], one row per output), so every output is an <see cref="IntegerProduct"/>
/// of two contiguous rows.
/// </summary>
public sealed class IntegerDenseKernel(Node node, string input, string output, CScalar inputType, CScalar outputType,
    int rows, int outputs, int depth, sbyte[] weights, int[]? bias, int xZeroPoint, Requantizer requantizer)
    : Kernel(node, [input], output)
{
    public override string Kind => "qdense";

    public override long Macs => (long)rows * outputs * depth;

    /// <summary>The int32 accumulators, [rows, outputs].</summary>
    public override long ScratchBytes => (long)rows * outputs * 4;

    public override CScalar ScratchType => CScalar.Int32;

    public override void EmitBody(CSource c, WeightTable table)
    {
        var folded = IntegerAccumulation.FoldedBias(weights, outputs, depth, bias, xZeroPoint, inputType, out bool wraps);
        string w = table.Add("weight", weights);
        string b = table.Add("bias", folded);
        requantizer.Declare(table, "requant");
        c.Line("int32_t* restrict acc = s;");
        new IntegerProduct(rows, outputs, depth, inputType, "x0", w, b, wraps, (r, m) => $"{r} * {outputs} + {m}").Emit(c);
        c.For("r", rows, () => requantizer.EmitRow(c, outputs, $"(acc + r * {outputs})", $"(y + r * {outputs})", outputType, null, i => i));
    }
}

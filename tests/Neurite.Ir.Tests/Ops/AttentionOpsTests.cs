using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>
/// Attention and FlexAttention on float64, which the conformance data does not cover: they must
/// compute in float64 (the float32 SGEMM would be off by about 1e-7), against a plain reference.
/// </summary>
public sealed class AttentionOpsTests
{
    private const int QueryHeads = 2, KeyHeads = 1, Rows = 3, Keys = 5, Size = 4, ValueSize = 3;

    [Fact]
    public void CausalGroupedAttentionIsExactInFloat64()
    {
        var (q, k, v) = Inputs();
        var b = new GraphBuilder("attention");
        var inputs = new[] { b.Input("q", q.Type), b.Input("k", k.Type), b.Input("v", v.Type) };
        b.Output(b.Node("Attention", inputs, new() { ["is_causal"] = 1L }, outputName: "y"));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 23 });

        var y = (Tensor)new Interpreter(model).Run(("q", (IValue)q), ("k", k), ("v", v))["y"];

        Assert.Equal(DataType.Float64, y.DataType);
        AssertClose(Reference(q, k, v, causal: true), y.ToArray<double>());
    }

    [Fact]
    public void FlexAttentionIsExactInFloat64()
    {
        var (q, k, v) = Inputs();
        var b = new GraphBuilder("flex");
        var inputs = new[] { b.Input("q", q.Type), b.Input("k", k.Type), b.Input("v", v.Type) };
        b.Output(b.Node("FlexAttention", inputs, domain: "ai.onnx.preview", outputName: "y"));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 23, ["ai.onnx.preview"] = 1 });

        var y = (Tensor)new Interpreter(model).Run(("q", (IValue)q), ("k", k), ("v", v))["y"];

        AssertClose(Reference(q, k, v, causal: false), y.ToArray<double>());
    }

    private static (Tensor Q, Tensor K, Tensor V) Inputs()
    {
        var random = new Random(23);
        Tensor Make(params int[] shape) =>
            Tensor.Create(Enumerable.Range(0, Tensor.ElementCountOf(shape)).Select(_ => random.NextDouble() * 4 - 2).ToArray(), shape);
        return (Make(1, QueryHeads, Rows, Size), Make(1, KeyHeads, Keys, Size), Make(1, KeyHeads, Keys, ValueSize));
    }

    /// <summary>softmax(Q·Kᵀ / √size, key j hidden from row i when j &gt; i if causal) · V, every query head on the one key head.</summary>
    private static double[] Reference(Tensor q, Tensor k, Tensor v, bool causal)
    {
        var qs = q.ToArray<double>();
        var ks = k.ToArray<double>();
        var vs = v.ToArray<double>();
        var y = new double[QueryHeads * Rows * ValueSize];
        for (int h = 0; h < QueryHeads; h++)
        {
            for (int i = 0; i < Rows; i++)
            {
                var weights = new double[Keys];
                for (int j = 0; j < Keys; j++)
                {
                    double dot = 0;
                    for (int d = 0; d < Size; d++)
                    {
                        dot += qs[(h * Rows + i) * Size + d] * ks[j * Size + d];
                    }
                    weights[j] = causal && j > i ? 0 : Math.Exp(dot / Math.Sqrt(Size));
                }
                double total = weights.Sum();
                for (int j = 0; j < Keys; j++)
                {
                    for (int d = 0; d < ValueSize; d++)
                    {
                        y[(h * Rows + i) * ValueSize + d] += weights[j] / total * vs[j * ValueSize + d];
                    }
                }
            }
        }
        return y;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}

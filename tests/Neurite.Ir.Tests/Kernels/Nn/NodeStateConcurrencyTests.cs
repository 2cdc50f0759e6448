using Xunit;

namespace Neurite.Ir.Tests.Kernels.Nn;

/// <summary>
/// The interpreter promises that concurrent runs of one model are safe. The convolution family
/// keeps per-node state between runs (<see cref="Ir.Kernels.Nn.NodeState"/>: plans per input shape,
/// packed and transposed weights), so these runs mix batch sizes: every thread keeps replacing
/// the shape plans the others are reading.
/// </summary>
public sealed class NodeStateConcurrencyTests
{
    private static Tensor Random(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (p, d) => p * d)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() - 0.5);
        }
        return Tensor.Create(data, shape);
    }

    /// <summary>Conv (stride 1 and strided, grouped), MaxPool, ConvTranspose, Gemm and MatMul on constant weights.</summary>
    private static Model ConvolutionalModel()
    {
        var b = new GraphBuilder("concurrent");
        var x = b.Input("x", TypeSyntax.ParseType("f32[N, 1, 24, 24]"));
        var conv = b.Node("Conv", [x, b.Initializer("w1", Random(1, 8, 1, 3, 3)), b.Initializer("b1", Random(2, 8))],
            new() { ["pads"] = new[] { 1, 1, 1, 1 } });
        var pooled = b.Node("MaxPool", [b.Node("Relu", [conv])], new() { ["kernel_shape"] = new[] { 2, 2 }, ["strides"] = new[] { 2, 2 } });
        var strided = b.Node("Conv", [pooled, b.Initializer("w2", Random(3, 6, 4, 3, 3))],
            new() { ["group"] = 2, ["strides"] = new[] { 2, 2 } });
        var transposed = b.Node("ConvTranspose", [strided, b.Initializer("wt", Random(4, 6, 3, 2, 2))], new() { ["strides"] = new[] { 2, 2 } });
        var flat = b.Node("Flatten", [transposed], outputName: "features");
        var dense = b.Node("Gemm", [flat, b.Initializer("wg", Random(5, 10, 300)), b.Initializer("bg", Random(6, 10))], new() { ["transB"] = 1 });
        b.Node("MatMul", [dense, b.Initializer("wm", Random(7, 10, 5))], outputName: "scores");
        b.Output("features");
        b.Output("scores");
        return new Model(b.Build(), new Dictionary<string, int> { [""] = 17 });
    }

    [Fact]
    public void ConcurrentRunsMatchSingleThreadedRuns()
    {
        var model = ConvolutionalModel();
        var inputs = Enumerable.Range(0, 8).Select(i => Random(100 + i, 1 + i % 4 * 5, 1, 24, 24)).ToArray();
        var reference = new Interpreter(model);
        var expected = inputs.Select(input => reference.Run(("x", (IValue)input))).ToArray();

        var shared = new Interpreter(model);
        const int threads = 4, rounds = 40;
        using var start = new Barrier(threads);
        var mismatches = new List<string>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            void Report(string problem)
            {
                lock (mismatches)
                {
                    mismatches.Add(problem);
                }
            }
            start.SignalAndWait();
            for (int round = 0; round < rounds; round++)
            {
                int i = (t + round) % inputs.Length;
                try
                {
                    var outputs = shared.Run(("x", (IValue)inputs[i]));
                    foreach (var name in new[] { "features", "scores" })
                    {
                        if (!((Tensor)outputs[name]).ToArray<float>().SequenceEqual(((Tensor)expected[i][name]).ToArray<float>()))
                        {
                            Report($"thread {t}, round {round}, input {i}: '{name}' differs");
                        }
                    }
                }
                catch (Exception e)
                {
                    Report($"thread {t}, round {round}, input {i}: {e.Message}");
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(mismatches);
    }
}

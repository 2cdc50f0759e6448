using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

/// <summary>
/// The passes interact (a fold exposes a fusion, an Identity hides a BatchNormalization), so
/// beyond the hand-built cases, reproducible random layer stacks — convolutions with and without
/// bias, groups, strides and padding, BatchNormalization, per-channel Add/Mul, zero Pad, pooling,
/// activations, Identity/Dropout/Transpose noise, flattening, MatMul/Add, Gemm in both layouts —
/// go through the default pipeline, each checked by the interpreter on two random input sets.
/// </summary>
public sealed class RandomGraphTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 100)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TheDefaultPipelineKeepsWhatARandomLayerStackComputes(int seed)
    {
        var model = new Generator(seed).Build();
        Assert.DoesNotContain(GraphVerifier.Verify(model), d => d.Severity == Severity.Error);
        var result = PassEquivalence.AssertPreserves(model, "default");
        Assert.True(result.Model.Graph.Nodes.Length <= model.Graph.Nodes.Length);
        var graph = result.Model.Graph;
        Assert.DoesNotContain(graph.Nodes, n => n.OpType is "Identity" or "Dropout");
        // A BatchNormalization may stay only where no layer precedes it (after pooling or an activation).
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "BatchNormalization" && graph.Producer(n.Inputs[0])?.OpType is "Conv" or "Gemm" or "MatMul");
    }

    private sealed class Generator(int seed)
    {
        private readonly Random random = new(seed);
        private readonly GraphBuilder b = new($"random{seed}");
        private int constants;

        public Model Build()
        {
            int channels = random.Next(1, 5), size = random.Next(6, 11);
            string h = b.Input("x", Type($"f32[N,{channels},{size},{size}]"));
            int layers = random.Next(3, 9);
            for (int i = 0; i < layers; i++)
            {
                (h, channels, size) = Spatial(h, channels, size);
            }
            int features = channels * size * size;
            h = random.Next(2) == 0
                ? b.Node("Flatten", [h], new() { ["axis"] = 1 })
                : b.Node("Reshape", [h, Constant(Ints(0, -1))]);
            for (int i = random.Next(1, 4); i > 0; i--)
            {
                (h, features) = Dense(h, features);
            }
            b.Output(h);
            return Model(b);
        }

        private string Constant(Tensor value) => b.Initializer($"c{constants++}", value);

        private Tensor Values(params int[] shape) => Random(random.Next(), shape);

        private (string, int, int) Spatial(string h, int channels, int size)
        {
            switch (random.Next(9))
            {
                case 0 or 1 or 2:
                {
                    int groups = channels % 2 == 0 && random.Next(3) == 0 ? 2 : 1;
                    int outChannels = groups * random.Next(1, 4);
                    int kernel = random.Next(2) == 0 || size < 3 ? 1 : 3, stride = size > 6 && random.Next(3) == 0 ? 2 : 1, pad = random.Next(2) * (kernel / 2);
                    if (random.Next(4) == 0)
                    {
                        h = b.Node("Pad", [h, Constant(Ints(0, 0, 1, 1, 0, 0, 1, 1))]);
                        size += 2;
                    }
                    string[] inputs = random.Next(2) == 0
                        ? [h, Constant(Values(outChannels, channels / groups, kernel, kernel))]
                        : [h, Constant(Values(outChannels, channels / groups, kernel, kernel)), Constant(Values(outChannels))];
                    h = b.Node("Conv", inputs, new() { ["group"] = groups, ["strides"] = new long[] { stride, stride }, ["pads"] = new long[] { pad, pad, pad, pad } });
                    size = (size + 2 * pad - kernel) / stride + 1;
                    return (h, outChannels, size);
                }
                case 3:
                    return (b.Node("BatchNormalization", [h, Constant(Random(random.Next(), [channels], 0.5f, 2f)), Constant(Values(channels)),
                        Constant(Values(channels)), Constant(Random(random.Next(), [channels], 0.2f, 2f))]), channels, size);
                case 4:
                    return (b.Node(random.Next(2) == 0 ? "Add" : "Mul", [h, Constant(Values(1, channels, 1, 1))]), channels, size);
                case 5:
                    return (Activation(h), channels, size);
                case 6:
                    return (b.Node(random.Next(2) == 0 ? "Identity" : "Dropout", [h]), channels, size);
                case 7:
                    h = b.Node("Transpose", [h], new() { ["perm"] = new long[] { 0, 2, 3, 1 } });
                    return (b.Node("Transpose", [h], new() { ["perm"] = new long[] { 0, 3, 1, 2 } }), channels, size);
                default:
                    if (size < 4)
                    {
                        return (Activation(h), channels, size);
                    }
                    return (b.Node(random.Next(2) == 0 ? "MaxPool" : "AveragePool", [h],
                        new() { ["kernel_shape"] = new long[] { 2, 2 }, ["strides"] = new long[] { 2, 2 } }), channels, size / 2);
            }
        }

        private (string, int) Dense(string h, int features)
        {
            int outputs = random.Next(2, 7);
            switch (random.Next(3))
            {
                case 0:
                    h = b.Node("Add", [b.Node("MatMul", [h, Constant(Values(features, outputs))]), Constant(Values(outputs))]);
                    break;
                case 1:
                    bool transB = random.Next(2) == 0;
                    h = b.Node("Gemm", [h, Constant(transB ? Values(outputs, features) : Values(features, outputs)), Constant(Values(outputs))],
                        new() { ["transB"] = transB ? 1 : 0, ["alpha"] = 0.5f + (float)random.NextDouble(), ["beta"] = 0.5f + (float)random.NextDouble() });
                    break;
                default:
                    h = b.Node("MatMul", [h, Constant(Values(features, outputs))]);
                    break;
            }
            if (random.Next(3) == 0)
            {
                h = b.Node("BatchNormalization", [h, Constant(Random(random.Next(), [outputs], 0.5f, 2f)), Constant(Values(outputs)),
                    Constant(Values(outputs)), Constant(Random(random.Next(), [outputs], 0.2f, 2f))]);
            }
            if (random.Next(2) == 0)
            {
                h = b.Node("Mul", [h, Constant(Values(1, outputs))]);
            }
            return (random.Next(2) == 0 ? Activation(h) : h, outputs);
        }

        private string Activation(string h) => random.Next(4) switch
        {
            0 => b.Node("Relu", [h]),
            1 => b.Node("LeakyRelu", [h], new() { ["alpha"] = 0.1f }),
            2 => b.Node("Sigmoid", [h]),
            _ => b.Node("Clip", [h, Constant(Tensor.Create([-0.5f], 1).Reshape([])), Constant(Tensor.Create([0.5f], 1).Reshape([]))]),
        };
    }
}

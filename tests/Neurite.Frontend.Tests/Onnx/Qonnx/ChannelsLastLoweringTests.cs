using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Onnx.Qonnx;

/// <summary>
/// QONNX channels-last Conv and MaxPool import as the standard ops between layout changes: run
/// on NHWC data they give what ONNX Runtime's NCHW Conv/MaxPool give on the same data moved to
/// NCHW by the test (weights [O, kH, kW, I] moved to [O, I, kH, kW]).
/// </summary>
public sealed class ChannelsLastLoweringTests
{
    private const string ChannelsLast = "qonnx.custom_op.channels_last";
    private const int N = 2, H = 7, W = 6, C = 4;

    public static TheoryData<string, int, int> Layers() => new()
    {
        { "Conv", 1, 5 },       // dense 3x3 convolution, 5 output channels
        { "Conv", C, C },       // depthwise, as separable convolutions write it
        { "MaxPool", 1, C },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void ChannelsLastOpComputesTheStandardOpOnTransposedData(string op, int group, int outChannels)
    {
        var x = Random([N, H, W, C], seed: 1);
        var wOhwi = Random([outChannels, 3, 3, C / group], seed: 2);
        var bias = Random([outChannels], seed: 3);
        var attributes = new Dictionary<string, AttributeValue>
        {
            ["kernel_shape"] = new long[] { 3, 3 },
            ["strides"] = new long[] { 2, 1 },
            ["pads"] = new long[] { 1, 0, 0, 1 },
        };
        if (op == "Conv")
        {
            attributes["dilations"] = new long[] { 1, 1 };
            attributes["group"] = group;
        }

        var lowered = OnnxImporter.Load(OnnxExporter.ToBytes(Model(op, ChannelsLast, attributes, [N, H, W, C],
            op == "Conv" ? [("w", wOhwi), ("b", bias)] : [])));
        Assert.DoesNotContain(lowered.Graph.Nodes, n => n.Domain == ChannelsLast);
        var actual = new Interpreter(lowered).Run(x);

        var standard = Model(op, "", attributes, [N, C, H, W],
            op == "Conv" ? [("w", Permute(wOhwi, [0, 3, 1, 2])), ("b", bias)] : []);
        using var reference = new OnnxRuntimeReference(OnnxExporter.ToBytes(standard));
        var expected = Permute(reference.Run(new Dictionary<string, Tensor> { ["x"] = Permute(x, [0, 3, 1, 2]) })["y"], [0, 2, 3, 1]);

        Assert.Equal(expected.ShapeArray(), actual.ShapeArray());
        Assert.True(TensorComparison.MaxAbsDifference(expected, actual) <= 1e-5);
    }

    private static Model Model(string op, string domain, Dictionary<string, AttributeValue> attributes, int[] inputShape,
        (string Name, Tensor Value)[] parameters)
    {
        var g = new GraphBuilder("layer");
        string x = g.Input("x", new TensorType(ElementType.Float32, Shape.Of(inputShape)));
        var inputs = new List<string> { x };
        inputs.AddRange(parameters.Select(p => g.Initializer(p.Name, p.Value)));
        g.Output(g.Node(op, inputs, attributes, nodeName: "layer", domain: domain, outputName: "y"));
        var opsets = new Dictionary<string, int> { [""] = 17 };
        if (domain.Length > 0)
        {
            opsets[domain] = 1;
        }
        return new Model(g.Build(), opsets);
    }

    /// <summary>numpy.transpose, written out here so the reference does not go through Neurite's Transpose.</summary>
    private static Tensor Permute(Tensor t, int[] perm)
    {
        var shape = t.ShapeArray();
        var outShape = perm.Select(p => shape[p]).ToArray();
        var source = t.Span<float>();
        var result = new float[source.Length];
        var index = new int[shape.Length];
        for (int flat = 0; flat < source.Length; flat++)
        {
            for (int d = shape.Length - 1, rest = flat; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            int target = 0;
            for (int d = 0; d < perm.Length; d++)
            {
                target = target * outShape[d] + index[perm[d]];
            }
            result[target] = source[flat];
        }
        return Tensor.Create(result, outShape);
    }

    private static Tensor Random(int[] shape, int seed)
    {
        var random = new Random(seed);
        var values = new float[Tensor.ElementCountOf(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return Tensor.Create(values, shape);
    }
}

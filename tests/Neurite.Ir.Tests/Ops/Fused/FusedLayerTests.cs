using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Ir.Tests.Ops.Fused;

/// <summary>
/// neurite.FusedConv and neurite.FusedGemm against ONNX Runtime's com.microsoft.FusedConv and
/// FusedGemm, which fuse the same activations: the same inputs and attributes, one node each.
/// </summary>
public sealed class FusedLayerTests
{
    private static Tensor Random(int seed, params int[] shape)
    {
        var random = new Random(seed);
        return Tensor.Create(Enumerable.Range(0, Tensor.ElementCountOf(shape)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), shape);
    }

    private static Model Single(string domain, string opType, Dictionary<string, AttributeValue> attributes, string[] weights, Tensor[] values, string inputType)
    {
        var b = new GraphBuilder("fused");
        var x = b.Input("x", TypeSyntax.ParseType(inputType));
        var inputs = new List<string> { x };
        for (int i = 0; i < weights.Length; i++)
        {
            inputs.Add(b.Initializer(weights[i], values[i]));
        }
        b.Output(b.Node(opType, inputs, attributes, domain: domain, outputName: "y"));
        return new Model(b.Build(), new Dictionary<string, int> { [""] = 13, [domain] = 1 });
    }

    [Theory]
    [InlineData("Relu", new float[0])]
    [InlineData("LeakyRelu", new[] { 0.2f })]
    [InlineData("Sigmoid", new float[0])]
    [InlineData("Clip", new[] { -0.3f, 0.4f })]
    public void FusedConvComputesWhatOnnxRuntimesFusedConvComputes(string activation, float[] parameters)
    {
        var attributes = new Dictionary<string, AttributeValue>
        {
            ["activation"] = activation, ["activation_params"] = parameters, ["pads"] = new long[] { 1, 1, 1, 1 }, ["strides"] = new long[] { 2, 1 },
        };
        Tensor[] weights = [Random(1, 4, 3, 3, 3), Random(2, 4)];
        var ours = Single(OpDomains.Neurite, "FusedConv", attributes, ["w", "b"], weights, "f32[2, 3, 7, 6]");
        var theirs = Single(OpDomains.Microsoft, "FusedConv", attributes, ["w", "b"], weights, "f32[2, 3, 7, 6]");
        Assert.DoesNotContain(GraphVerifier.Verify(ours), d => d.Severity == Severity.Error);
        Assert.Equal("f32[2, 4, 4, 6]", TypeInference.Run(ours).Types["y"].ToString());
        var x = Random(3, 2, 3, 7, 6);
        var actual = (Tensor)new Interpreter(ours).Run(("x", (IValue)x))["y"];
        using var reference = new OnnxRuntimeReference(OnnxExporter.ToBytes(theirs));
        var expected = reference.Run(new Dictionary<string, Tensor> { ["x"] = x })["y"];
        Assert.Null(TensorComparison.Compare(expected, actual, 1e-5, 1e-6));
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("LeakyRelu")]
    [InlineData("Sigmoid")]
    public void FusedGemmComputesWhatOnnxRuntimesFusedGemmComputes(string activation)
    {
        Tensor[] weights = [Random(4, 6, 5), Random(5, 6)];
        var common = new Dictionary<string, AttributeValue> { ["transB"] = 1, ["alpha"] = 0.5f, ["beta"] = 2f, ["activation"] = activation };
        var ours = Single(OpDomains.Neurite, "FusedGemm",
            new(common) { ["activation_params"] = activation == "LeakyRelu" ? new[] { 0.1f } : Array.Empty<float>() }, ["w", "c"], weights, "f32[3, 5]");
        // ONNX Runtime names the LeakyRelu slope activation_alpha.
        var theirs = Single(OpDomains.Microsoft, "FusedGemm",
            activation == "LeakyRelu" ? new(common) { ["activation_alpha"] = 0.1f } : common, ["w", "c"], weights, "f32[3, 5]");
        var x = Random(6, 3, 5);
        var actual = (Tensor)new Interpreter(ours).Run(("x", (IValue)x))["y"];
        using var reference = new OnnxRuntimeReference(OnnxExporter.ToBytes(theirs));
        var expected = reference.Run(new Dictionary<string, Tensor> { ["x"] = x })["y"];
        Assert.Null(TensorComparison.Compare(expected, actual, 1e-5, 1e-6));
    }

    [Theory]
    [InlineData("Tanh", new float[0], "activation \"Tanh\" cannot be fused; expected one of Relu, LeakyRelu, Sigmoid, Clip")]
    [InlineData("Clip", new[] { 1f }, "activation Clip takes 2 parameters in activation_params, the node gives 1")]
    public void AnActivationThatCannotBeFusedIsAnInvalidNode(string activation, float[] parameters, string message)
    {
        var model = Single(OpDomains.Neurite, "FusedConv", new() { ["activation"] = activation, ["activation_params"] = parameters },
            ["w"], [Random(1, 2, 3, 1, 1)], "f32[1, 3, 4, 4]");
        var error = Assert.Single(GraphVerifier.Verify(model), d => d.Severity == Severity.Error);
        Assert.Equal("type.invalid-node", error.Code);
        Assert.Contains(message, error.Message);
    }
}

using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests.Quantize;

public sealed class LowerQonnxQuantTests(ITestOutputHelper output)
{
    /// <summary>
    /// Inputs on the grid's ties (x/scale = k + 0.5, where half-to-even decides), just beside them,
    /// and beyond both ends of the 4-bit range, so rounding and clamping are both exercised.
    /// </summary>
    private static Tensor Probe(int rows, int columns, float scale)
    {
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            float step = (i % 23) - 11.5f;              // -11.5 .. 10.5: ties, and beyond [-8, 7]
            values[i] = (i / 23 % 3) switch
            {
                0 => step * scale,
                1 => MathF.BitIncrement(step * scale),
                _ => MathF.BitDecrement(step * scale),
            };
        }
        return Tensor.Create(values, rows, columns);
    }

    private static Model QuantModel(string x, Tensor scale, float zeroPoint, float bits, int opset = 17, string rounding = "ROUND",
        long signed = 1, long narrow = 0)
    {
        var b = new GraphBuilder("quant");
        var input = b.Input("x", Type(x));
        var y = b.Node("Quant", [input, b.Initializer("scale", scale), b.Initializer("zeropt", Tensor.Scalar(zeroPoint)), b.Initializer("bitwidth", Tensor.Scalar(bits))],
            new() { ["signed"] = signed, ["narrow"] = narrow, ["rounding_mode"] = rounding }, domain: OpDomains.Qonnx);
        b.Output(b.Node("Relu", [y]));
        return new Model(b.Build(), new Dictionary<string, int> { [""] = opset, [OpDomains.Qonnx] = 1 });
    }

    private static EquivalenceOptions Exactly(Model model, Tensor probe) => new()
    {
        Tolerance = 0,
        RealInputs = [("grid ties and out-of-range values", new Dictionary<string, Tensor> { [model.Graph.Inputs[0].Name] = probe })],
    };

    [Fact]
    public void FourBitSignedQuantBecomesQuantizeClipDequantizeWithItsTypeDeclared()
    {
        var model = QuantModel("f32[N,23]", Tensor.Scalar(0.25f), 0f, 4f);
        var result = PassEquivalence.AssertPreserves(model, new LowerQonnxQuant(), Exactly(model, Probe(6, 23, 0.25f)));

        var ops = result.Model.Graph.Nodes.Select(n => n.QualifiedOpType).ToArray();
        Assert.Equal(["QuantizeLinear", "Clip", "DequantizeLinear", "Relu"], ops);
        var clip = result.Model.Graph.Nodes[1];
        Assert.Equal([-8L], result.Model.Graph.Initializers.Single(i => i.Name == clip.Inputs[1]).Value.ToInt64Array());
        Assert.Equal([7L], result.Model.Graph.Initializers.Single(i => i.Name == clip.Inputs[2]).Value.ToInt64Array());
        var declared = Assert.IsType<QuantizedType>(((TensorType)result.Model.Graph.ValueInfo.Single(v => v.Name == clip.Outputs[0]).Type!).ElementType);
        Assert.Equal((4, true, 0.25f, 0L, (int?)null), (declared.Bits, declared.Signed, declared.Scales.Single(), declared.ZeroPoints.Single(), declared.Axis));
        Assert.DoesNotContain(OpDomains.Qonnx, result.Model.Opsets.Keys);
    }

    [Fact]
    public void NarrowUnsignedAndFullWidthGrids()
    {
        // Unsigned narrow 3 bits: [0, 6]. Unsigned 8 bits fills uint8: no Clip.
        var narrow = QuantModel("f32[N,23]", Tensor.Scalar(0.5f), 0f, 3f, signed: 0, narrow: 1);
        var lowered = PassEquivalence.AssertPreserves(narrow, new LowerQonnxQuant(), Exactly(narrow, Probe(6, 23, 0.5f))).Model;
        var clip = lowered.Graph.Nodes.Single(n => n.OpType == "Clip");
        Assert.Equal([0L, 6L], clip.Inputs.Skip(1).Select(i => lowered.Graph.Initializers.Single(c => c.Name == i).Value.ToInt64Array()[0]));

        var full = QuantModel("f32[N,23]", Tensor.Scalar(0.02f), 0f, 8f, signed: 0);
        var fullLowered = PassEquivalence.AssertPreserves(full, new LowerQonnxQuant(), Exactly(full, Probe(6, 23, 0.02f))).Model;
        Assert.Equal(["QuantizeLinear", "DequantizeLinear", "Relu"], fullLowered.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void PerChannelScalesBecomeAnAxis()
    {
        var scales = Tensor.Create([0.5f, 0.125f, 2f], 3, 1, 1);
        var model = QuantModel("f32[N,3,2,2]", scales, 0f, 6f);
        var probe = Tensor.Create(Probe(4, 12, 0.125f).Span<float>().ToArray(), 4, 3, 2, 2);
        var lowered = PassEquivalence.AssertPreserves(model, new LowerQonnxQuant(), Exactly(model, probe)).Model;
        var quantize = lowered.Graph.Nodes.Single(n => n.OpType == "QuantizeLinear");
        Assert.Equal(1L, quantize.Attribute("axis")!.AsInt());
        var clip = lowered.Graph.Nodes.Single(n => n.OpType == "Clip");
        var declared = (QuantizedType)((TensorType)lowered.Graph.ValueInfo.Single(v => v.Name == clip.Outputs[0]).Type!).ElementType;
        Assert.Equal((6, 1), (declared.Bits, declared.Axis!.Value));
        Assert.Equal(new[] { 0.5f, 0.125f, 2f }, declared.Scales.ToArray());
    }

    public static TheoryData<string, Func<Model>> Untouched() => new()
    {
        // QONNX adds a zero point before rounding, QuantizeLinear after: different at ties.
        { "non-zero zero point", () => QuantModel("f32[N,23]", Tensor.Scalar(0.25f), 1f, 4f) },
        { "rounding FLOOR", () => QuantModel("f32[N,23]", Tensor.Scalar(0.25f), 0f, 4f, rounding: "FLOOR") },
        { "bipolar 1 bit", () => QuantModel("f32[N,23]", Tensor.Scalar(1f), 0f, 1f) },
        { "12 bits before opset 21", () => QuantModel("f32[N,23]", Tensor.Scalar(0.25f), 0f, 12f) },
        { "opset 12 (no per-axis QuantizeLinear, no integer Clip)", () => QuantModel("f32[N,23]", Tensor.Scalar(0.25f), 0f, 4f, opset: 12) },
        { "scales along two axes", () => QuantModel("f32[N,3,2,2]", Tensor.Create([0.5f, 0.25f, 1f, 2f, 0.5f, 0.25f], 3, 2, 1), 0f, 4f) },
    };

    [Theory]
    [MemberData(nameof(Untouched))]
    public void LeavesQuantsTheStandardOpsWouldComputeDifferently(string why, Func<Model> build)
    {
        var model = build();
        Assert.True(ReferenceEquals(model, new PassManager().Run(model, [new LowerQonnxQuant()]).Model), why);
    }

    [Fact]
    public void SixteenBitsFromOpset21()
    {
        var model = QuantModel("f32[N,23]", Tensor.Scalar(1f / 1024), 0f, 12f, opset: 21);
        var lowered = PassEquivalence.AssertPreserves(model, new LowerQonnxQuant(), Exactly(model, Probe(6, 23, 512f / 1024))).Model;
        var quantize = lowered.Graph.Nodes.Single(n => n.OpType == "QuantizeLinear");
        Assert.Equal(DataType.Int16, lowered.Graph.Initializers.Single(i => i.Name == quantize.Inputs[2]).Value.DataType);
    }

    public static TheoryData<string> HlsQonnxModels() =>
        [.. ModelExceptions.Qonnx.Where(p => p.StartsWith("hls4ml/", StringComparison.Ordinal))];

    /// <summary>
    /// The hls4ml QONNX exports through the onnx pipeline: every Quant that the standard ops can
    /// compute exactly is gone, and ONNX Runtime (which has no QONNX kernels: an independent
    /// QuantizeLinear, Clip and DequantizeLinear) computes exactly what Neurite's interpreter
    /// computes on the original QONNX graph.
    /// </summary>
    [Theory]
    [MemberData(nameof(HlsQonnxModels))]
    public void HlsModelsRunInOnnxRuntimeAfterTheOnnxPipeline(string relativePath)
    {
        var model = OnnxImporter.Load(SharedData.Path("models", relativePath));
        var inputs = ModelInputs.For(model, relativePath);
        var optimised = PassEquivalence.AssertPreserves(model, "onnx",
            new EquivalenceOptions { RandomInputSets = 0, RealInputs = [("catalog inputs", inputs)] }).Model;
        int before = model.Graph.Nodes.Count(n => n.OpType == "Quant"), after = optimised.Graph.Nodes.Count(n => n.OpType == "Quant");
        int declared = optimised.Graph.ValueInfo.Count(v => v.Type is TensorType { ElementType: QuantizedType });
        output.WriteLine($"{relativePath}: {before} Quant before, {after} after; {declared} values declared with quantised types");

        Assert.True(before > 0 && after == 0, "a Quant is left");
        var remaining = optimised.Graph.Nodes.Where(n => n.Domain == OpDomains.Qonnx).Select(n => n.OpType).Distinct().ToList();
        if (remaining.Count > 0)
        {
            // bnn_model_fc_1layer keeps its BipolarQuant nodes (sign functions, no QuantizeLinear form), which ONNX Runtime cannot run.
            Assert.Equal(["BipolarQuant"], remaining);
            return;
        }
        Assert.True(declared > 0, "no value is declared with a quantised type");
        var expected = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        using var reference = new OnnxRuntimeReference(OnnxExporter.ToBytes(optimised), optimize: false);
        foreach (var (name, actual) in reference.Run(inputs))
        {
            double difference = TensorComparison.MaxAbsDifference((Tensor)expected[name], actual);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  '{name}': max |ONNX Runtime - interpreter| = {difference:G3}"));
            Assert.Equal(0, difference);
        }
    }
}

using Google.Protobuf;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.Onnx.Proto;
using Neurite.Ir;
using Neurite.Ir.Kernels.Quantization;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Onnx;

/// <summary>
/// Fixed-point tensors and values in ONNX: written as their storage integers with the type in
/// metadata_props, read back as the fixed-point types they were; an annotation that does not fit
/// the stored integers is a diagnostic naming the tensor or value.
/// </summary>
public sealed class ElementTypeAnnotationTests
{
    [Fact]
    public void AFixedPointGraphIsWrittenAsItsStorageWithItsTypesAndReadsBackTheSame()
    {
        var model = TinyFixedGemm();
        var proto = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(model));
        var weights = proto.Graph.Initializer.Single(i => i.Name == "w");
        Assert.Equal((int)TensorProto.Types.DataType.Int8, weights.DataType);
        Assert.Equal(("neurite.element_type", "fixed<8,3>"), (weights.MetadataProps.Single().Key, weights.MetadataProps.Single().Value));
        var hidden = proto.Graph.ValueInfo.Single(v => v.Name == "h");
        Assert.Equal((int)TensorProto.Types.DataType.Int16, hidden.Type.TensorType.ElemType);
        Assert.Equal("fixed<12,4,rnd,sat>", hidden.MetadataProps.Single(m => m.Key == "neurite.element_type").Value);

        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("fixed.onnx"), proto.ToByteArray());
        var reread = OnnxImporter.Import(folder.File("fixed.onnx"));
        Assert.False(reread.HasErrors, string.Join("\n", reread.Diagnostics));
        var differences = ModelEquality.Differences(model.Graph, reread.Model!.Graph);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        var x = Tensor.Create([0.75f, -1.5f], 1, 2);
        Assert.Equal(new Interpreter(model).Run(x).ToArray<float>(), new Interpreter(reread.Model!).Run(x).ToArray<float>());
    }

    [Fact]
    public void AnAnnotationThatDoesNotFitTheStoredIntegersIsADiagnostic()
    {
        var proto = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(TinyFixedGemm()));
        proto.Graph.Initializer.Single(i => i.Name == "w").MetadataProps.Single().Value = "fixed<24,3>";
        proto.Graph.ValueInfo.Single(v => v.Name == "h").MetadataProps.Single().Value = "f32";
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("bad.onnx"), proto.ToByteArray());
        var result = OnnxImporter.Import(folder.File("bad.onnx"));
        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Code == "onnx.tensor"
            && d.Message == "tensor 'w' is malformed: neurite.element_type says fixed<24,3>, which is stored as i32, but the value is i8");
        Assert.Contains(result.Diagnostics, d => d.Code == "onnx.type" && d.Message == "value 'h': neurite.element_type \"f32\" is not a fixed-point type");
    }

    /// <summary>y = FromFixed(FixedGemm(ToFixed(x))) with fixed&lt;8,3&gt; weights [[0.5, 1.5], [-1, 0.5]] and bias [0.25, -0.5], the result fixed&lt;12,4,rnd,sat&gt;.</summary>
    private static Model TinyFixedGemm()
    {
        var weightType = new FixedPointType(8, 3);
        var resultType = new FixedPointType(12, 4, rounding: RoundingMode.HalfUp, overflow: OverflowMode.Saturate);
        var builder = new GraphBuilder("tiny-fixed");
        string x = builder.Input("x", TypeSyntax.ParseType("f32[1, 2]"));
        var w = builder.Initializer("w", FixedPointTensors.FromRaw([16, 48, -32, 16], weightType, [2, 2]));
        var b = builder.Initializer("b", FixedPointTensors.FromRaw([8, -16], weightType, [2]));
        builder.Node("ToFixed", [x], new() { ["output_type"] = "fixed<8,3>" }, nodeName: "to_fixed", domain: OpDomains.Neurite, outputName: "xf");
        builder.Node("FixedGemm", ["xf", w, b], new()
        {
            ["x_type"] = "fixed<8,3>", ["w_type"] = "fixed<8,3>", ["b_type"] = "fixed<8,3>",
            ["accumulator_type"] = "fixed<15,5>", ["output_type"] = "fixed<12,4,rnd,sat>",
        }, nodeName: "gemm", domain: OpDomains.Neurite, outputName: "h");
        builder.Node("FromFixed", ["h"], new() { ["input_type"] = "fixed<12,4,rnd,sat>" }, nodeName: "from_fixed", domain: OpDomains.Neurite, outputName: "y");
        builder.Annotate("xf", new TensorType(weightType, Shape.Of(1, 2)));
        builder.Annotate("h", new TensorType(resultType, Shape.Of(1, 2)));
        builder.Output("y");
        return new Model(builder.Build(), new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
    }
}

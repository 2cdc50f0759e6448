using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize;

/// <summary>
/// QDQ and QOperator models from ../shared: after the pass every activation a quantising op
/// writes is declared with the scale and zero point that op was given, the verifier accepts the
/// graph, and the interpreter computes exactly what it computed before (the types only say what
/// the integers mean).
/// </summary>
public sealed class AnnotateQuantizedTypesTests(ITestOutputHelper output)
{
    public static TheoryData<string> QuantisedModels() =>
    [
        "quantized/mnist_ptq_qdq_fpgai.onnx",
        "onnx-model-zoo/shufflenet-v2-12-int8/model.onnx",
    ];

    [Theory]
    [MemberData(nameof(QuantisedModels))]
    public void EveryQuantisedActivationCarriesItsOpsScheme(string relativePath)
    {
        var model = OnnxImporter.Load(SharedData.Path("models", relativePath));
        var inputs = ModelInputs.For(model, relativePath);
        var result = PassEquivalence.AssertPreserves(model, new AnnotateQuantizedTypes(),
            new EquivalenceOptions { RandomInputSets = 1, RealInputs = [("catalog inputs", inputs)], Tolerance = 0 });
        var graph = result.Model.Graph;
        var constants = graph.Initializers.ToDictionary(i => i.Name, i => i.Value);
        foreach (var constant in graph.Nodes.Where(n => n.OpType == "Constant"))
        {
            constants[constant.Outputs[0]] = constant.Attribute("value")!.AsTensor();
        }
        int checkedValues = 0;
        foreach (var node in graph.Nodes.Where(n => n.OpType is "QuantizeLinear" or "QLinearConv" or "QLinearMatMul" or "QLinearAdd"))
        {
            int scaleIndex = node.OpType == "QuantizeLinear" ? 1 : 6;
            string value = node.Outputs[0];
            var declared = graph.ValueInfo.SingleOrDefault(v => v.Name == value)?.TensorType?.ElementType as QuantizedType;
            Assert.True(declared is not null, $"{node.QualifiedOpType} '{node.Name}': output '{value}' has no quantised type");
            var scale = constants[node.Inputs[scaleIndex]];
            var zeroPoint = constants[node.Inputs[scaleIndex + 1]];
            Assert.Equal((float)scale.GetDouble(0), declared.Scales.Single());
            Assert.Equal((long)zeroPoint.GetDouble(0), declared.ZeroPoints.Single());
            Assert.Equal(zeroPoint.DataType == DataType.Int8, declared.Signed);
            Assert.Equal(8, declared.Bits);
            checkedValues++;
        }
        Assert.True(checkedValues > 0);
        var errors = GraphVerifier.Verify(result.Model).Where(d => d.Severity == Severity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        output.WriteLine($"{relativePath}: {checkedValues} quantising ops, {graph.ValueInfo.Count(v => v.TensorType?.ElementType is QuantizedType)} values declared quantised");
    }

    [Fact]
    public void ValuesMovedByMaxPoolOrReshapeKeepTheScheme()
    {
        var model = OnnxImporter.Load(SharedData.Path("models", "onnx-model-zoo", "shufflenet-v2-12-int8", "model.onnx"));
        var annotated = new AnnotateQuantizedTypes().Run(model, new PassContext());
        var graph = annotated.Graph;
        var pool = graph.Nodes.First(n => n.OpType == "MaxPool");
        var typeOf = graph.ValueInfo.ToDictionary(v => v.Name, v => v.TensorType?.ElementType);
        Assert.IsType<QuantizedType>(typeOf[pool.Inputs[0]]);
        Assert.Equal(typeOf[pool.Inputs[0]], typeOf[pool.Outputs[0]]);
    }

    [Theory]
    [InlineData("zoo/fmnist_lenet5.onnx")]
    [InlineData("zoo/fmnist_resnet8.onnx")]
    public void FloatModelsAreLeftAlone(string relativePath)
    {
        var model = OnnxImporter.Load(SharedData.Path("models", relativePath));
        Assert.Same(model, new AnnotateQuantizedTypes().Run(model, new PassContext()));
    }
}

using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize;

/// <summary>
/// The integer graph exported as QDQ ONNX and run by ONNX Runtime: every output element within
/// one step of the output's quantisation grid of what the interpreter computes on the integer
/// graph, and the same accuracy on the whole Fashion-MNIST test set to 0.1 pp.
/// </summary>
public sealed class QdqExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("zoo/fmnist_lenet5.onnx")]
    [InlineData("zoo/fmnist_mlp.onnx")]
    public void OnnxRuntimeRunsTheExportLikeTheIntegerGraph(string path)
    {
        var (_, quantised) = ZooQuantization.Quantise(path, CalibrationMethod.Percentile, new QuantizationOptions());
        var exported = OnnxExporter.ToBytes(QdqExport.Convert(quantised.Model));
        using var reference = new OnnxRuntimeReference(exported);
        var interpreter = new Interpreter(quantised.Model);
        var entry = ZooQuantization.Entry(path);
        var input = quantised.Model.Graph.Inputs.Single();
        string logits = quantised.Model.Graph.Outputs.Single().Name;
        float step = OutputStep(quantised.Model, logits);
        var test = DataSet.FashionMnist;
        var dims = ((TensorType)input.Type!).Shape.Dims.Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        int oursCorrect = 0, ortCorrect = 0;
        double worst = 0;
        for (int first = 0; first < test.Count; first += 500)
        {
            var images = Preprocessing.Batch(entry, test, first, 500, dims);
            var ours = (Tensor)interpreter.Run((input.Name, (IValue)images))[logits];
            var theirs = reference.Run(new Dictionary<string, Tensor> { [input.Name] = images })[logits];
            worst = Math.Max(worst, TensorComparison.MaxAbsDifference(theirs, ours));
            oursCorrect += Correct(ours, test, first);
            ortCorrect += Correct(theirs, test, first);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: max |ORT - ours| = {worst:G4} (output step {step:G4}); accuracy ours {oursCorrect / (double)test.Count:P2}, ONNX Runtime {ortCorrect / (double)test.Count:P2}"));
        Assert.True(worst <= step * 1.0001, $"an output differs by {worst}, more than one step ({step})");
        Assert.True(Math.Abs(oursCorrect - ortCorrect) <= test.Count / 1000, $"accuracies differ: {oursCorrect} vs {ortCorrect} correct");
    }

    [Fact]
    public void TheExportHasNoNeuriteOpsAndQuantisesEveryLayer()
    {
        var (_, quantised) = ZooQuantization.Quantise("zoo/fmnist_lenet5.onnx", CalibrationMethod.Percentile, new QuantizationOptions());
        var exported = QdqExport.Convert(quantised.Model);
        Assert.DoesNotContain(exported.Graph.Nodes, n => n.Domain == OpDomains.Neurite);
        Assert.Equal(quantised.Layers.Count, exported.Graph.Nodes.Count(n => n.OpType == "QuantizeLinear") - 1);
    }

    /// <summary>
    /// ONNX quantises to int16 from opset 21 on: an export with int16 activations is declared
    /// opset 21 when every other op means the same there as at the model's opset, and refused
    /// with a diagnostic when one may not (here ReduceMean, whose axes became an input at 18).
    /// </summary>
    [Fact]
    public void Int16ActivationsRaiseTheOpsetOrAreRefusedWhenAnOpMightChangeMeaning()
    {
        Model Build(string tail)
        {
            var b = new GraphBuilder("int16");
            var x = b.Input("x", TestGraphs.Type("f32[N,4]"));
            var y = b.Node("Gemm", [x, b.Initializer("w", TestGraphs.Random(1, [3, 4])), b.Initializer("c", TestGraphs.Random(2, [3]))], new() { ["transB"] = 1 });
            b.Output(b.Node(tail, [y], tail == "ReduceMean" ? new() { ["axes"] = new long[] { 1 } } : null));
            return TestGraphs.Model(b, opset: 13);
        }
        foreach (var tail in new[] { "Relu", "ReduceMean" })
        {
            var model = Build(tail);
            var calibrator = new Calibrator(model);
            calibrator.Observe(new Dictionary<string, IValue> { ["x"] = TestGraphs.Random(3, [16, 4]) });
            var quantised = PostTrainingQuantizer.Quantize(model, calibrator.Ranges(new CalibrationOptions(Bits: 16, Symmetric: true)), new QuantizationOptions(ActivationBits: 16));
            if (tail == "Relu")
            {
                var exported = QdqExport.Convert(quantised.Model);
                Assert.Equal(QdqExport.Int16Opset, exported.OpsetOf(""));
                using var reference = new OnnxRuntimeReference(OnnxExporter.ToBytes(exported));
                var input = TestGraphs.Random(4, [8, 4]);
                var theirs = reference.Run(new Dictionary<string, Tensor> { ["x"] = input }).Values.Single();
                var ours = new Interpreter(quantised.Model).Run(input);
                // int16's grid is fine enough that ONNX Runtime's float32 sums can round to the neighbouring step.
                Assert.True(TensorComparison.MaxAbsDifference(theirs, ours) <= 2 * OutputStep(quantised.Model, quantised.Model.Graph.Outputs[0].Name));
                continue;
            }
            var e = Assert.Throws<NeuriteException>(() => QdqExport.Convert(quantised.Model));
            Assert.Equal("int16 activations are valid ONNX from opset 21 on; this graph of opset 13 also has ReduceMean, whose meaning may differ at opset 21: upgrade the model to opset 21 first, or export int8 activations",
                e.Diagnostics.Single().Message);
        }
    }

    /// <summary>The scale of the quantised value the output is dequantised from.</summary>
    private static float OutputStep(Model model, string output)
    {
        var dequantize = model.Graph.Producer(output)!;
        return model.Graph.Initializers.Single(i => i.Name == dequantize.Inputs[1]).Value.Span<float>()[0];
    }

    private static int Correct(Tensor scores, DataSet data, int first)
    {
        int size = scores.Dim(0), classes = scores.Length / size, hits = 0;
        var values = scores.Span<float>();
        for (int n = 0; n < size; n++)
        {
            var row = values.Slice(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                best = row[c] > row[best] ? c : best;
            }
            hits += best == data.Labels[first + n] ? 1 : 0;
        }
        return hits;
    }
}

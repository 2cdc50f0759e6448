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

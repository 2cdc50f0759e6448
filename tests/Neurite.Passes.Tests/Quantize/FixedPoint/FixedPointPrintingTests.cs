using Neurite.Frontend.Dsl;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize.FixedPoint;

/// <summary>
/// Fixed-point graphs in the Neurite language and in ONNX: the new ops are registered ops with
/// string attributes, so they print and read back as any op does; the fixed-point types of the
/// weights and of every declared value come back too (in ONNX as their storage integers with the
/// type annotated), and the re-read graph computes the same integers.
/// </summary>
public sealed class FixedPointPrintingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("zoo/fmnist_lenet5.onnx", "FixedGemm")]   // FixedConv, average pools as FixedConv, Flatten, FixedGemm
    [InlineData("zoo/fmnist_resnet8.onnx", "FixedAdd")]   // FixedAdd with a fused ReLU, a global average pool
    public void AFixedPointModelPrintsAndReadsBackIdenticalAndComputesTheSameBits(string path, string op)
    {
        var (model, calibrator) = ZooQuantization.Calibration(path);
        CalibrationTable ranges;
        lock (calibrator)
        {
            ranges = calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax));
        }
        var quantised = FixedPointQuantizer.Quantize(model, ranges, new FixedPointOptions(FixedPointPrecision.Parse("fixed<16,auto,rnd,sat>"))).Model;
        Assert.Contains(quantised.Graph.Nodes, n => n.OpType == op && n.Domain == OpDomains.Neurite);
        using var folder = new TemporaryFolder();
        var document = DslPrinter.Save(quantised, folder.File("fixed.nrt"));
        output.WriteLine(string.Join("\n", document.Text.Split('\n').Where(l => l.Contains("neurite.", StringComparison.Ordinal)).Take(4)));
        var reread = DslReader.Import(folder.File("fixed.nrt"));
        Assert.False(reread.HasErrors, string.Join("\n", reread.Diagnostics));
        var differences = ModelEquality.Differences(quantised, reread.Model!);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        Assert.Contains(reread.Model!.Graph.Initializers, i => i.Value.ElementType is FixedPointType);

        var entry = ZooQuantization.Entry(path);
        var images = Preprocessing.Batch(entry, DataSet.FashionMnist, 0, 8, [8, 1, 28, 28]);
        string input = quantised.Graph.Inputs.Single().Name, logits = quantised.Graph.Outputs.Single().Name;
        var before = (Tensor)new Interpreter(quantised).Run((input, (IValue)images))[logits];
        var after = (Tensor)new Interpreter(reread.Model!).Run((input, (IValue)images))[logits];
        Assert.Equal(before.Span<float>().ToArray(), after.Span<float>().ToArray());
    }

    [Theory]
    [InlineData("zoo/fmnist_lenet5.onnx")]   // FixedConv, average pools as FixedConv, Flatten on raw integers, FixedGemm
    [InlineData("zoo/fmnist_resnet8.onnx")]  // FixedAdd with a fused ReLU, a global average pool
    public void AFixedPointModelExportsToOnnxAndReadsBackIdenticalAndComputesTheSameBits(string path)
    {
        var (model, calibrator) = ZooQuantization.Calibration(path);
        CalibrationTable ranges;
        lock (calibrator)
        {
            ranges = calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax));
        }
        var quantised = FixedPointQuantizer.Quantize(model, ranges, new FixedPointOptions(FixedPointPrecision.Parse("fixed<16,auto>"))).Model;
        using var folder = new TemporaryFolder();
        OnnxExporter.Save(quantised, folder.File("fixed.onnx"));
        var reread = OnnxImporter.Import(folder.File("fixed.onnx"));
        Assert.False(reread.HasErrors, string.Join("\n", reread.Diagnostics));
        var differences = ModelEquality.Differences(quantised, reread.Model!);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        Assert.All(reread.Model!.Graph.Initializers, i => Assert.IsType<FixedPointType>(i.Value.ElementType));

        var entry = ZooQuantization.Entry(path);
        var images = Preprocessing.Batch(entry, DataSet.FashionMnist, 0, 8, [8, 1, 28, 28]);
        string input = quantised.Graph.Inputs.Single().Name, logits = quantised.Graph.Outputs.Single().Name;
        var before = (Tensor)new Interpreter(quantised).Run((input, (IValue)images))[logits];
        var after = (Tensor)new Interpreter(reread.Model!).Run((input, (IValue)images))[logits];
        Assert.Equal(before.Span<float>().ToArray(), after.Span<float>().ToArray());
    }
}

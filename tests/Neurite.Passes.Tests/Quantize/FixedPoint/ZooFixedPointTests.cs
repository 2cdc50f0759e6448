using System.Globalization;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize.FixedPoint;

/// <summary>
/// The zoo's Fashion-MNIST MLP and LeNet-5 in 16-bit fixed point with auto integer bits
/// (fixed&lt;16,auto&gt;, hls4ml's trn and wrap), calibrated on the 6,000-image calibration slice and
/// scored against the float model on the whole 10,000-image test set (about 10 s for both: the
/// integer kernels are fast enough that no smaller default slice is needed).
/// </summary>
public sealed class ZooFixedPointTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("zoo/fmnist_mlp.onnx")]
    [InlineData("zoo/fmnist_lenet5.onnx")]
    public void SixteenBitAutoFixedPointLosesAtMostAThirdOfAPoint(string path)
    {
        var (model, calibrator) = ZooQuantization.Calibration(path);
        CalibrationTable ranges;
        lock (calibrator)
        {
            ranges = calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax));
        }
        var result = FixedPointQuantizer.Quantize(model, ranges, new FixedPointOptions(FixedPointPrecision.Parse("fixed<16,auto>")));
        Assert.Empty(result.FloatNodes);
        var ops = result.Model.Graph.Nodes.Select(n => n.QualifiedOpType).ToList();
        Assert.Equal("neurite.ToFixed", ops[0]);
        Assert.Equal("neurite.FromFixed", ops[^1]);
        Assert.All(ops.Skip(1).SkipLast(1), op => Assert.Contains(op, new[] { "neurite.FixedConv", "neurite.FixedGemm", "Flatten" }));

        var entry = ZooQuantization.Entry(path);
        var test = DataSet.FashionMnist;
        int count = test.Count;
        double before = ClassificationAccuracy.Score(model, entry, test, 0, count);
        double after = ClassificationAccuracy.Score(result.Model, entry, test, 0, count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path} fixed<16,auto,trn,wrap> on test images 0..{count - 1}: float {before:P2}, fixed {after:P2} ({(after - before) * 100:+0.00;-0.00} pp)"));
        foreach (var layer in result.Layers)
        {
            output.WriteLine($"  {layer.Node}: in {string.Join(" + ", layer.Inputs.Select(FixedPointPrecision.Describe))}, w {(layer.Weights is null ? "-" : FixedPointPrecision.Describe(layer.Weights))}, acc {FixedPointPrecision.Describe(layer.Accumulator)} (worst {layer.WorstCaseAccumulatorBits}, calibrated {layer.CalibratedAccumulatorBits}), result {FixedPointPrecision.Describe(layer.Result)}");
        }
        Assert.Empty(result.Diagnostics);
        Assert.True(before - after <= 0.003, $"fixed-point accuracy {after:P2} is more than 0.3 pp below float {before:P2}");
    }
}

using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize.Calibration;

/// <summary>
/// Calibration of the zoo LeNet-5 on Fashion-MNIST's calibration slice, checked against the
/// same activations kept whole and sorted: the streaming statistics must give what the exact
/// computation gives (to one histogram bin), and the clipping methods must earn their keep
/// (less quantisation error than MinMax on real activations).
/// </summary>
public sealed class CalibrationTests(ITestOutputHelper output)
{
    private const int Samples = 500;
    private static readonly Lazy<(Calibrator Calibrator, Dictionary<string, float[]> Exact)> LeNet = new(CalibrateLeNet);

    [Fact]
    public void MinMaxIsTheExactExtremesOfEveryActivation()
    {
        var (calibrator, exact) = LeNet.Value;
        var table = calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax));
        Assert.Equal(Samples, table.Samples);
        Assert.Equal(exact.Keys.Order(), table.Ranges.Keys.Order());
        foreach (var (name, values) in exact)
        {
            Assert.Equal(Math.Min(0, values.Min()), table.Ranges[name].Min);
            Assert.Equal(Math.Max(0, values.Max()), table.Ranges[name].Max);
        }
    }

    [Theory]
    [InlineData(99.9)]
    [InlineData(99.99)]
    public void PercentileAgreesWithTheSortedActivationsToOneBin(double percentile)
    {
        var (calibrator, exact) = LeNet.Value;
        var symmetric = calibrator.Ranges(new CalibrationOptions(CalibrationMethod.Percentile, percentile, Symmetric: true));
        foreach (var (name, values) in exact)
        {
            var magnitudes = values.Select(Math.Abs).Order().ToArray();
            double expected = magnitudes[(int)Math.Ceiling(percentile / 100 * magnitudes.Length) - 1];
            double bin = calibrator.Statistics[name].Histogram.BinWidth;
            double actual = symmetric.Ranges[name].Max;
            output.WriteLine($"{name}: p{percentile} |x| exact {expected:G5}, streamed {actual:G5}, bin {bin:G3}");
            Assert.InRange(actual, expected - bin, expected + bin);
        }
    }

    /// <summary>Percentile and MSE aim at the squared error; entropy aims at the distribution's shape (see the tests below).</summary>
    [Theory]
    [InlineData(CalibrationMethod.Mse)]
    [InlineData(CalibrationMethod.Percentile)]
    public void ClippingMethodsQuantiseRealActivationsWithLessErrorThanMinMax(CalibrationMethod method)
    {
        var (calibrator, exact) = LeNet.Value;
        var minMax = calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax, Symmetric: true));
        var clipped = calibrator.Ranges(new CalibrationOptions(method, 99.99, Symmetric: true));
        double totalMinMax = 0, totalClipped = 0;
        foreach (var (name, values) in exact)
        {
            double a = SquaredError(values, minMax.Ranges[name].MaxMagnitude), b = SquaredError(values, clipped.Ranges[name].MaxMagnitude);
            output.WriteLine($"{name}: int8 MSE with MinMax {a:G4}, with {method} {b:G4} (threshold {clipped.Ranges[name].MaxMagnitude:G4} of {minMax.Ranges[name].MaxMagnitude:G4})");
            Assert.True(clipped.Ranges[name].MaxMagnitude <= minMax.Ranges[name].MaxMagnitude);
            totalMinMax += a;
            totalClipped += b;
        }
        Assert.True(totalClipped < totalMinMax, $"{method}: total error {totalClipped} is not below MinMax's {totalMinMax}");
    }

    [Fact]
    public void MseThresholdIsTheBestOfAGridOfThresholdsOnTheRealActivations()
    {
        var (calibrator, exact) = LeNet.Value;
        var mse = calibrator.Ranges(new CalibrationOptions(CalibrationMethod.Mse, Symmetric: true));
        foreach (var (name, values) in exact)
        {
            double largest = values.Max(Math.Abs);
            double best = Enumerable.Range(1, 100).Select(k => SquaredError(values, largest * k / 100)).Min();
            double chosen = SquaredError(values, mse.Ranges[name].MaxMagnitude);
            output.WriteLine($"{name}: chosen {chosen:G4}, best of 100 thresholds {best:G4}");
            // The histogram's model of rounding noise (uniform Δ²/12) is an estimate: within 10 % of the best found by brute force.
            Assert.True(chosen <= best * 1.10, $"{name}: the MSE threshold gives {chosen}, a grid search finds {best}");
        }
    }

    [Fact]
    public void EntropyClipsAFewFarOutliersOfABellCurve()
    {
        // 200,000 standard normal values and ten at 100: MinMax would spend the grid on the ten.
        var statistics = new TensorStatistics();
        var random = new Random(5);
        var values = Enumerable.Range(0, 200_000).Select(_ => (float)Normal(random)).Concat(Enumerable.Repeat(100f, 10)).ToArray();
        statistics.Add(values);
        var range = RangeEstimator.Estimate(statistics, new CalibrationOptions(CalibrationMethod.Entropy, Symmetric: true));
        output.WriteLine($"entropy threshold {range.Max:G4} for N(0, 1) with outliers at 100");
        Assert.InRange(range.Max, 2.5f, 10f);
    }

    [Fact]
    public void EntropyKeepsTheWholeRangeOfDataWithoutATail()
    {
        var statistics = new TensorStatistics();
        var random = new Random(6);
        statistics.Add(Enumerable.Range(0, 200_000).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
        var range = RangeEstimator.Estimate(statistics, new CalibrationOptions(CalibrationMethod.Entropy, Symmetric: true));
        output.WriteLine($"entropy threshold {range.Max:G4} for U(-1, 1)");
        Assert.InRange(range.Max, 0.95f, 1f);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void HistogramGrowsExactlyWhenLargerValuesArrive()
    {
        // Small values first, then one large one: the range doubles ten times, and no count may move out of its place.
        var random = new Random(3);
        var values = Enumerable.Range(0, 10_000).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.01f).Append(7.5f).ToArray();
        var growing = new StreamingHistogram();
        foreach (var chunk in values.Chunk(100))
        {
            growing.Add(chunk);
        }
        Assert.Equal(values.Length, growing.Count);
        Assert.Equal(values.Length, growing.Bins.ToArray().Sum());
        // Everything but 7.5 lies within ±0.01, so in the bins around zero.
        double width = growing.BinWidth;
        int middle = StreamingHistogram.BinCount / 2;
        int spread = (int)Math.Ceiling(0.01 / width) + 1;
        long nearZero = growing.Bins.Slice(middle - spread, 2 * spread).ToArray().Sum();
        Assert.Equal(values.Length - 1, nearZero);
    }

    private static double SquaredError(float[] values, double threshold)
    {
        double step = threshold / 127;
        double error = 0;
        foreach (float v in values)
        {
            double q = Math.Clamp(Math.Round(v / step), -127, 127) * step;
            error += (v - q) * (v - q);
        }
        return error / values.Length;
    }

    private static (Calibrator, Dictionary<string, float[]>) CalibrateLeNet()
    {
        var entry = ModelCatalog.DataSetModels.Single(m => m.Path == "zoo/fmnist_lenet5.onnx");
        var model = OnnxImporter.Load(entry.FullPath);
        var calibrator = new Calibrator(model);
        var exact = new Dictionary<string, List<float>>();
        var keeper = new Interpreter(model);
        var inputShape = ((TensorType)model.Graph.Inputs[0].Type!).Shape.Dims.Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        for (int i = 0; i < Samples; i++)
        {
            var image = Preprocessing.Batch(entry, DataSet.FashionMnistCalibration, i, 1, inputShape);
            var feeds = new Dictionary<string, IValue> { [model.Graph.Inputs[0].Name] = image };
            calibrator.Observe(feeds);
            keeper.Run(feeds, new KeepEverything(exact));
        }
        return (calibrator, exact.ToDictionary(p => p.Key, p => p.Value.ToArray()));
    }

    /// <summary>The exact alternative to streaming: keep every activation whole.</summary>
    private sealed class KeepEverything(Dictionary<string, List<float>> values) : IValueObserver
    {
        public void Observe(string name, IValue value)
        {
            if (value is Tensor { DataType: DataType.Float32 } t)
            {
                (values.TryGetValue(name, out var list) ? list : values[name] = []).AddRange(t.Span<float>().ToArray());
            }
        }
    }
}

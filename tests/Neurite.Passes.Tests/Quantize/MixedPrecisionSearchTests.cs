using System.Globalization;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize;

/// <summary>
/// Mixed precision by sensitivity on the zoo LeNet-5 with int4 weights, calibrated on the
/// 6,000-image Fashion-MNIST calibration slice and scored on test images (which calibration
/// never sees). With a budget tighter than what all-int4 loses, the search keeps the most
/// sensitive layers at int8 weights and meets it. The default suite scores on the first 2,000
/// test images: one score of the integer LeNet takes about 0.1 s there, the search needs up to
/// 2 + 2·5 of them, and 2,000 images resolve 0.05 pp (one image), enough to see int4's loss of
/// about a point. The whole 10,000-image set runs with NEURITE_FULL_ACCURACY=1.
/// </summary>
public sealed class MixedPrecisionSearchTests(ITestOutputHelper output)
{
    private const string LeNet = "zoo/fmnist_lenet5.onnx";

    [Fact]
    public void Int4LeNetMeetsABudgetTighterThanAllInt4OnTwoThousandImages() => MeetsTheBudget(2000, budget: 0.002);

    /// <summary>A long run: not in the default suite (scripts/test.sh filters it out), in <c>scripts/test.sh --full</c>.</summary>
    [Fact]
    [Trait(LongRun.Trait, LongRun.Full)]
    public void Int4LeNetMeetsABudgetTighterThanAllInt4OnTheWholeTestSet() => MeetsTheBudget(DataSet.FashionMnist.Count, budget: 0.002);

    private void MeetsTheBudget(int images, double budget)
    {
        var (model, tables) = ZooQuantization.Tables(LeNet, CalibrationMethod.Percentile);
        var entry = ZooQuantization.Entry(LeNet);
        int scored = 0;
        double Score(Model m)
        {
            scored++;
            return ClassificationAccuracy.Score(m, entry, DataSet.FashionMnist, 0, images);
        }
        var search = MixedPrecisionSearch.Run(model, tables, new QuantizationOptions(WeightBits: 4), new LayerPrecision(WeightBits: 8), budget, Score);
        var d = search.Decision;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{images} images: float {d.FloatAccuracy:P2}, all int4 {d.AllLowAccuracy:P2} ({(d.AllLowAccuracy - d.FloatAccuracy) * 100:+0.00;-0.00} pp), budget {budget * 100:F2} pp"));
        foreach (var s in d.Sensitivities)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Node} alone at int4: {s.Accuracy:P2} (drop {s.Drop * 100:F2} pp)"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kept at int8: {string.Join(", ", d.HighPrecisionLayers)}; mixed {d.Accuracy:P2} ({(d.Accuracy - d.FloatAccuracy) * 100:+0.00;-0.00} pp) after {scored} scores"));

        // The premise: all-int4 loses more than the budget (otherwise there is nothing to search).
        Assert.True(d.FloatAccuracy - d.AllLowAccuracy > budget, $"all-int4 loses only {(d.FloatAccuracy - d.AllLowAccuracy) * 100:F2} pp; the test needs a budget below that");
        Assert.True(d.BudgetMet);
        Assert.True(d.FloatAccuracy - d.Accuracy <= budget);
        Assert.NotEmpty(d.HighPrecisionLayers);
        Assert.True(d.HighPrecisionLayers.Count < 5, "every layer at int8 is no mix");
        Assert.Equal(5, d.Sensitivities.Count);

        // The scores are what the model really gets: rescored here, and the widths are in the graph.
        Assert.Equal(d.Accuracy, ClassificationAccuracy.Score(search.Result.Model, entry, DataSet.FashionMnist, 0, images));
        Assert.Equal(d.FloatAccuracy, ClassificationAccuracy.Score(model, entry, DataSet.FashionMnist, 0, images));
        foreach (var layer in search.Result.Layers.Where(l => l.WeightBits > 0))
        {
            Assert.Equal(d.HighPrecisionLayers.Contains(layer.Node) ? 8 : 4, layer.WeightBits);
        }
        // The layers kept high are the most sensitive ones.
        double keptLeast = d.Sensitivities.Where(s => d.HighPrecisionLayers.Contains(s.Node)).Min(s => s.Drop);
        double leftMost = d.Sensitivities.Where(s => !d.HighPrecisionLayers.Contains(s.Node)).Max(s => s.Drop);
        Assert.True(keptLeast >= leftMost);
    }

    [Fact]
    public void AModelWithinTheBudgetAtLowPrecisionKeepsEveryLayerLow()
    {
        var (model, tables) = ZooQuantization.Tables(LeNet, CalibrationMethod.Percentile);
        var entry = ZooQuantization.Entry(LeNet);
        var search = MixedPrecisionSearch.Run(model, tables, new QuantizationOptions(WeightBits: 4), new LayerPrecision(WeightBits: 8), budget: 0.05,
            m => ClassificationAccuracy.Score(m, entry, DataSet.FashionMnist, 0, 1000));
        Assert.True(search.Decision.BudgetMet);
        Assert.Empty(search.Decision.HighPrecisionLayers);
        Assert.Empty(search.Decision.Sensitivities);
        Assert.All(search.Result.Layers.Where(l => l.WeightBits > 0), l => Assert.Equal(4, l.WeightBits));
    }
}

using Neurite.Ir;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Passes.Quantize;

/// <summary>
/// Mixed precision by sensitivity: each candidate layer is quantised alone at the low precision
/// (every other node float) and scored; then the layers whose lone quantisation cost most are
/// kept at the higher precision, one more at a time, until the whole model's drop from float is
/// within the budget. The score is whatever <c>accuracy</c> measures (top-1 on labelled data in
/// the driver); sensitivity ties keep graph order, so the search is deterministic.
/// </summary>
public static class MixedPrecisionSearch
{
    /// <param name="low">The target precision for the whole model.</param>
    /// <param name="high">What a sensitive layer keeps instead: wider weights (int8 when the target is int4) or wider activations (int16).</param>
    /// <param name="budget">The largest allowed drop from float accuracy, as a fraction (0.005 is half a point).</param>
    public static MixedPrecisionResult Run(Model model, CalibrationTables calibrations, QuantizationOptions low, LayerPrecision high, double budget, Func<Model, double> accuracy)
    {
        if (budget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "the accuracy budget cannot be negative");
        }
        double floatAccuracy = accuracy(model);
        var allLow = PostTrainingQuantizer.Quantize(model, calibrations, low);
        double allLowAccuracy = accuracy(allLow.Model);
        var candidates = allLow.Layers.Where(l => high.WeightBits is not null ? l.WeightBits > 0 : l.Op is not ("AveragePool" or "GlobalAveragePool")).ToList();
        if (floatAccuracy - allLowAccuracy <= budget)
        {
            return new MixedPrecisionResult(allLow, low, new MixedPrecisionDecision(budget, high, floatAccuracy, allLowAccuracy, allLowAccuracy, [], [], BudgetMet: true));
        }

        var sensitivities = new List<LayerSensitivity>();
        foreach (var layer in candidates)
        {
            var alone = model.Graph.Nodes.Where(n => n.Name != layer.Node)
                .Aggregate(low, (options, n) => options.WithLayer(n.Name, LayerPrecision.KeepFloat));
            double score = accuracy(PostTrainingQuantizer.Quantize(model, calibrations, alone).Model);
            sensitivities.Add(new LayerSensitivity(layer.Node, layer.Op, score, floatAccuracy - score));
        }
        var ranked = sensitivities.Select((s, index) => (s, index)).OrderByDescending(p => p.s.Drop).ThenBy(p => p.index).Select(p => p.s.Node).ToList();

        QuantizationResult best = allLow;
        QuantizationOptions bestOptions = low;
        double bestAccuracy = allLowAccuracy;
        int bestCount = 0;
        for (int count = 1; count <= ranked.Count; count++)
        {
            var options = ranked.Take(count).Aggregate(low, (o, node) => o.WithLayer(node, high));
            var result = PostTrainingQuantizer.Quantize(model, calibrations, options);
            double score = accuracy(result.Model);
            if (score > bestAccuracy)
            {
                (best, bestOptions, bestAccuracy, bestCount) = (result, options, score, count);
            }
            if (floatAccuracy - score <= budget)
            {
                return new MixedPrecisionResult(result, options,
                    new MixedPrecisionDecision(budget, high, floatAccuracy, allLowAccuracy, score, sensitivities, ranked.Take(count).ToList(), BudgetMet: true));
            }
        }
        return new MixedPrecisionResult(best, bestOptions,
            new MixedPrecisionDecision(budget, high, floatAccuracy, allLowAccuracy, bestAccuracy, sensitivities, ranked.Take(bestCount).ToList(), BudgetMet: false));
    }
}

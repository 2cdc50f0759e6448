using System.Globalization;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Passes.Quantize.Report;

namespace Neurite.Cli;

/// <summary>The quantisation report on the terminal: one row per quantised layer, then sizes, accuracies and (integer) mixed-precision decisions.</summary>
internal static class QuantizationReportTable
{
    public static void Print(string modelName, QuantizedModel quantised, SampleData calibration, EvaluationData? evaluation)
    {
        var report = quantised.Report!;
        Console.WriteLine(F($"quantized {modelName}: {quantised.Settings}"));
        Console.WriteLine(F($"calibrated on {calibration.Count:N0} samples of {calibration.Source}{(calibration.Preprocessing is { } p ? $" ({p})" : "")}"));
        Console.WriteLine(F($"SQNR of each layer's output against the float model, on {report.Sqnr.Samples:N0} {report.Sqnr.Data} samples"));
        Console.WriteLine();
        switch (report)
        {
            case IntegerQuantizationReport integer:
                Console.Write(IntegerLayers(integer));
                break;
            case FixedPointQuantizationReport fixedPoint:
                Console.Write(FixedPointLayers(fixedPoint));
                break;
        }
        if (report.FloatNodes.Count > 0)
        {
            Console.WriteLine($"left in float: {string.Join(", ", report.FloatNodes)}");
        }
        double share = 100.0 * report.QuantizedWeightBytes / report.FloatWeightBytes;
        Console.WriteLine(report is FixedPointQuantizationReport bits
            ? F($"weights: {report.FloatWeightBytes:N0} bytes float, {report.QuantizedWeightBytes:N0} bytes fixed point ({share:F1} %), at W bits per value as hardware stores them ({bits.QuantizedWeightBits:N0} bits / 8)")
            : F($"weights: {report.FloatWeightBytes:N0} bytes float, {report.QuantizedWeightBytes:N0} bytes quantized ({share:F1} %)"));
        if (report.Accuracy is { } accuracy)
        {
            Console.WriteLine(F($"accuracy on {accuracy.Samples:N0} labelled samples ({evaluation!.Samples.Source}): float {accuracy.Float:P2}, quantized {accuracy.Quantised:P2} ({-accuracy.DropPoints:+0.00;-0.00;0.00} pp)"));
        }
        if (report is IntegerQuantizationReport { MixedPrecision: { } mixed })
        {
            PrintMixedPrecision(mixed);
        }
    }

    private static TextTable IntegerLayers(IntegerQuantizationReport report)
    {
        var table = new TextTable("layer", "op", "w", "a", "weights", "activations", "range", "weight scale", "scale", "zp", "SQNR dB");
        foreach (var layer in report.Layers)
        {
            table.Add(
                layer.Node + (layer.HighPrecision ? " *" : ""),
                layer.Op + (layer.FusedActivation is { } fused ? "+" + fused : ""),
                layer.WeightBits == 0 ? "-" : F($"{layer.WeightBits}"),
                F($"{layer.ActivationBits}"),
                layer.WeightBits == 0 ? "-" : layer.PerChannel ? "per-channel" : "per-tensor",
                layer.Symmetric ? "symmetric" : "asymmetric",
                F($"[{layer.RangeMin:G4}, {layer.RangeMax:G4}]"),
                layer.WeightScaleMin is float low ? (low == layer.WeightScaleMax ? F($"{low:G4}") : F($"{low:G4}..{layer.WeightScaleMax:G4}")) : "-",
                F($"{layer.Scale:G4}"),
                layer.ZeroPoint,
                Sqnr(layer.SqnrDecibels));
        }
        return table;
    }

    /// <summary>The fixed-point quantiser's own columns (<see cref="FixedPointReport"/>: types, accumulator widths, ranges, overflow), then the SQNR.</summary>
    private static TextTable FixedPointLayers(FixedPointQuantizationReport report)
    {
        var table = new TextTable([.. FixedPointReport.Columns, "SQNR dB"]);
        foreach (var row in report.Layers)
        {
            table.Add([.. FixedPointReport.Cells(row.Layer), Sqnr(row.SqnrDecibels)]);
        }
        return table;
    }

    private static string Sqnr(double decibels) => double.IsFinite(decibels) ? F($"{decibels:F1}") : "exact";

    private static void PrintMixedPrecision(Passes.Quantize.MixedPrecisionDecision mixed)
    {
        Console.WriteLine();
        Console.WriteLine(F($"mixed precision (budget {mixed.Budget * 100:0.###} pp): all layers low {mixed.AllLowAccuracy:P2} ({(mixed.AllLowAccuracy - mixed.FloatAccuracy) * 100:+0.00;-0.00;0.00} pp)"));
        if (mixed.Sensitivities.Count == 0)
        {
            Console.WriteLine("  within the budget with every layer at the low precision");
            return;
        }
        var table = new TextTable("layer quantised alone", "op", "accuracy", "drop pp");
        foreach (var s in mixed.Sensitivities)
        {
            table.Add(s.Node, s.Op, F($"{s.Accuracy:P2}"), F($"{s.Drop * 100:F2}"));
        }
        Console.Write(table);
        Console.WriteLine(F($"kept at {mixed.High} (* above): {string.Join(", ", mixed.HighPrecisionLayers)}; accuracy {mixed.Accuracy:P2} ({(mixed.Accuracy - mixed.FloatAccuracy) * 100:+0.00;-0.00;0.00} pp)"));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

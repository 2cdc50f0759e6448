using System.Globalization;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Passes.Quantize.Report;

namespace Neurite;

/// <summary>
/// Post-training quantisation as the driver runs it for <c>neurite quantize</c>,
/// <c>compile --quantize</c> and <see cref="NeuriteModel.Quantize"/>: the standard-op
/// optimisations first (the <c>onnx</c> pipeline: BatchNormalization folded into the weights,
/// which are then quantised; no fused neurite ops the quantiser does not read), calibration
/// streamed over the samples, then integer quantisation (with mixed precision when an accuracy
/// budget is given) or fixed-point quantisation, as the settings' formats say, and the
/// measurements of the report.
/// </summary>
public static class ModelQuantizer
{
    /// <summary>The passes that are valid before quantisation.</summary>
    public const string PrePipeline = "onnx";

    /// <param name="evaluation">Labelled samples, separate from the calibration samples: accuracies before and after, the budget's yardstick, and the SQNR's samples.</param>
    /// <param name="measure">False skips the report's measurements (SQNR, accuracy): what compile needs.</param>
    public static QuantizedModel Quantize(NeuriteModel model, SampleData calibration, QuantizeSettings settings, EvaluationData? evaluation = null, bool measure = true)
    {
        settings.Validate();
        if (settings.AccuracyBudget is not null && evaluation is null)
        {
            throw new NeuriteException("quantize.budget", "--accuracy-budget needs labelled evaluation data: give --labels with the --eval samples they label");
        }
        var optimised = Optimizer.Run(model.Model, PrePipeline);
        var floatModel = optimised.Model;
        var calibrator = new Calibrator(floatModel);
        foreach (var (first, count) in calibration.Batches(settings.Batch))
        {
            calibrator.Observe(Inputs(calibration, first, count));
        }
        var passes = optimised.Report.Passes.Select(p => p.Name)
            .Append(string.Create(CultureInfo.InvariantCulture, $"quantize({settings}, calibration={calibration.Count} samples)"))
            .ToList();
        return settings.IsFixedPoint
            ? QuantizeFixedPoint(floatModel, calibrator, calibration, settings, evaluation, measure, passes)
            : QuantizeIntegers(floatModel, calibrator, calibration, settings, evaluation, measure, passes);
    }

    private static IntegerQuantizedModel QuantizeIntegers(Model floatModel, Calibrator calibrator, SampleData calibration, QuantizeSettings settings,
        EvaluationData? evaluation, bool measure, IReadOnlyList<string> passes)
    {
        var tables = new CalibrationTables(calibrator, settings.Method, settings.Percentile, settings.SymmetricActivations);
        var options = settings.ToOptions();
        QuantizationResult result;
        MixedPrecisionDecision? decision = null;
        if (settings.AccuracyBudget is double budget)
        {
            var search = MixedPrecisionSearch.Run(floatModel, tables, options, settings.HighPrecision(), budget / 100, m => Accuracy(m, evaluation!, settings.Batch));
            decision = search.Decision;
            if (!decision.BudgetMet)
            {
                throw new NeuriteException("quantize.budget", string.Create(CultureInfo.InvariantCulture,
                    $"the accuracy budget of {budget} pp cannot be met on the {evaluation!.Samples.Count:N0} evaluation samples: float {decision.FloatAccuracy:P2}, all layers at {settings.Weights} weights and {settings.Activations} activations {decision.AllLowAccuracy:P2}, the best mix ({decision.HighPrecisionLayers.Count} layers at {decision.High}) {decision.Accuracy:P2}"));
            }
            result = search.Result;
        }
        else
        {
            result = PostTrainingQuantizer.Quantize(floatModel, tables, options);
        }
        IntegerQuantizationReport? report = null;
        if (measure)
        {
            var meter = new LayerErrorMeter(floatModel, result);
            var (sqnr, accuracy) = Measure(meter, floatModel, calibration, evaluation, settings.Batch);
            var high = decision?.HighPrecisionLayers.ToHashSet(StringComparer.Ordinal);
            report = new IntegerQuantizationReport(IntegerQuantizationReport.LayersOf(result, meter.PerLayer, high), result.FloatNodes,
                WeightBytes.Of(floatModel), WeightBytes.Of(result.Model), calibration.Count, sqnr, accuracy, decision);
        }
        return new IntegerQuantizedModel(NeuriteModel.FromModel(result.Model), floatModel, result, settings, passes, report);
    }

    /// <summary>
    /// Fixed point: the ranges as the settings' method gives them (min-max by default, so the
    /// overflow analysis sees every value calibration saw), then the fixed-point quantiser.
    /// </summary>
    private static FixedPointQuantizedModel QuantizeFixedPoint(Model floatModel, Calibrator calibrator, SampleData calibration, QuantizeSettings settings,
        EvaluationData? evaluation, bool measure, IReadOnlyList<string> passes)
    {
        var ranges = calibrator.Ranges(new CalibrationOptions(settings.Method, settings.Percentile));
        var result = FixedPointQuantizer.Quantize(floatModel, ranges, settings.ToFixedPointOptions());
        FixedPointQuantizationReport? report = null;
        if (measure)
        {
            var meter = new LayerErrorMeter(floatModel, result);
            var (sqnr, accuracy) = Measure(meter, floatModel, calibration, evaluation, settings.Batch);
            report = new FixedPointQuantizationReport(FixedPointQuantizationReport.LayersOf(result, meter.PerLayer), result.FloatNodes,
                WeightBytes.BitsOf(floatModel), WeightBytes.BitsOf(result.Model), WeightBytes.Of(floatModel), WeightBytes.Of(result.Model),
                calibration.Count, sqnr, accuracy);
        }
        return new FixedPointQuantizedModel(NeuriteModel.FromModel(result.Model), floatModel, result, settings, passes, report);
    }

    /// <summary>Top-1 accuracy of <paramref name="model"/> on labelled samples (argmax of the first output's last axis).</summary>
    public static double Accuracy(Model model, EvaluationData data, int batch = 100)
    {
        var interpreter = new Interpreter(model);
        string output = model.Graph.Outputs[0].Name;
        int hits = 0;
        Parallel.ForEach(data.Samples.Batches(batch), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, range =>
        {
            var scores = (Tensor)interpreter.Run(Inputs(data.Samples, range.First, range.Count))[output];
            Interlocked.Add(ref hits, Hits(scores, data, range.First, range.Count));
        });
        return (double)hits / data.Samples.Count;
    }

    /// <summary>
    /// Runs the float and the quantised model side by side through <paramref name="meter"/>, on the
    /// evaluation samples when given (the calibration samples otherwise): every layer's SQNR adds
    /// up in the meter, the accuracies before and after are counted when the samples are labelled.
    /// </summary>
    private static (SqnrMeasurement Sqnr, AccuracyComparison? Accuracy) Measure(LayerErrorMeter meter, Model floatModel, SampleData calibration, EvaluationData? evaluation, int batch)
    {
        var samples = evaluation?.Samples ?? calibration;
        string output = floatModel.Graph.Outputs[0].Name;
        int floatHits = 0, quantisedHits = 0;
        Parallel.ForEach(samples.Batches(batch), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, range =>
        {
            var (floatOutputs, quantisedOutputs) = meter.Run(Inputs(samples, range.First, range.Count));
            if (evaluation is not null)
            {
                Interlocked.Add(ref floatHits, Hits((Tensor)floatOutputs[output], evaluation, range.First, range.Count));
                Interlocked.Add(ref quantisedHits, Hits((Tensor)quantisedOutputs[output], evaluation, range.First, range.Count));
            }
        });
        var accuracy = evaluation is null ? null : new AccuracyComparison(samples.Count, (double)floatHits / samples.Count, (double)quantisedHits / samples.Count);
        return (new SqnrMeasurement(evaluation is null ? "calibration" : "evaluation", samples.Count), accuracy);
    }

    private static Dictionary<string, IValue> Inputs(SampleData data, int first, int count) => new() { [data.InputName] = data.Batch(first, count) };

    private static int Hits(Tensor scores, EvaluationData data, int first, int count)
    {
        if (scores.Rank == 0 || !scores.DataType.IsFloatingPoint())
        {
            throw new NeuriteException("labels.output", $"the model's first output is {scores.Type}, which has no classes to compare with labels");
        }
        int classes = scores.Dim(-1);
        if (scores.Length != classes * count)
        {
            throw new NeuriteException("labels.output", $"the model's first output is {scores.Type} for a batch of {count}: not one row of class scores per sample");
        }
        int hits = 0;
        for (int n = 0; n < count; n++)
        {
            hits += ClassScores.ArgMax(scores, n, classes) == data.Labels[first + n] ? 1 : 0;
        }
        return hits;
    }
}

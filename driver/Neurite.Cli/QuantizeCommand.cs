using System.CommandLine;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>
/// <c>neurite quantize MODEL --calib DATA [--labels L --eval DATA] [--weights int8|int4|fixed&lt;..&gt;]
/// [--activations int8|int16|fixed&lt;W,I&gt;] [--accumulator fixed&lt;..&gt;] [--per-channel|--per-tensor]
/// [--symmetric] [--method M] [--accuracy-budget PP] [--report R.json] -o OUT.onnx|OUT.nrt</c>:
/// post-training quantisation (integer-only, or fixed point when the activations are), the
/// per-layer report on the terminal (and as JSON), the quantiser's warnings on stderr, and the
/// model as ONNX or in the Neurite language. Every check of the arguments and the data runs
/// before any file is written, and the files appear together or not at all.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "The float model to quantise (.onnx or .nrt)." };
        var output = new Option<FileInfo>("--output", "-o")
        {
            Description = "OUT.onnx or OUT.nrt (the quantised graph in the Neurite language, weights in OUT.npz). Integer formats write QDQ ONNX, which ONNX Runtime runs; "
                + "fixed point writes ONNX with Neurite's fixed-point ops (domain neurite), which Neurite reads back bit for bit and ONNX Runtime cannot run.",
            Required = true,
        };
        var labels = new Option<FileInfo?>("--labels") { Description = "Class labels of the --eval samples (.npy, .pb or IDX): accuracy before and after." };
        var evaluation = new Option<string[]>("--eval")
        {
            Description = "Labelled samples to score on, never the calibration ones (same formats as --calib).",
            AllowMultipleArgumentsPerToken = true,
        };
        var evaluationCount = new Option<int?>("--eval-count") { Description = "Score on the first N evaluation samples only (default all)." };
        var budget = new Option<double?>("--accuracy-budget") { Description = "Integer formats, with --labels: the largest accuracy drop allowed, in percentage points; the most sensitive layers stay at a higher precision." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the report as JSON here." };
        var arguments = new QuantizationArguments();
        var command = new Command("quantize", "Post-training quantisation to an integer-only or a fixed-point graph, with a per-layer report (types or scales, ranges, accumulator widths, SQNR), sizes and accuracies.")
        {
            model, output, labels, evaluation, evaluationCount, budget, report,
        };
        foreach (var option in arguments.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(parsed => CommandGuard.Run(() =>
        {
            var target = parsed.GetValue(output)!;
            var reportFile = parsed.GetValue(report);
            QuantizedModel.CheckOutputPath(target.FullName, reportFile?.FullName);
            var labelsFile = parsed.GetValue(labels);
            var evaluationPaths = parsed.GetValue(evaluation) ?? [];
            double? accuracyBudget = parsed.GetValue(budget);
            // The settings first: an option the scheme has no use for is the first thing to hear about.
            var settings = arguments.Settings(parsed, accuracyBudget);
            if (accuracyBudget is not null && labelsFile is null)
            {
                throw new NeuriteException("quantize.budget", "--accuracy-budget needs labelled evaluation data: give --labels with the --eval samples they label");
            }
            if (labelsFile is not null && evaluationPaths.Length == 0)
            {
                throw new NeuriteException("quantize.labels", "--labels needs --eval DATA, the samples they label (calibration data is never scored: a model must not be judged on the samples it was calibrated on)");
            }
            if (labelsFile is null && evaluationPaths.Length > 0)
            {
                throw new NeuriteException("quantize.labels", "--eval needs --labels, one class label per evaluation sample");
            }
            if (parsed.GetValue(evaluationCount) is int wanted && (evaluationPaths.Length == 0 || wanted <= 0))
            {
                throw new NeuriteException("quantize.eval", $"--eval-count {wanted}: {(wanted <= 0 ? "the number of evaluation samples must be positive" : "there are no --eval samples to count")}");
            }
            var calibrationPaths = (parsed.GetValue(arguments.Calibration) ?? []).Select(Path.GetFullPath).ToHashSet();
            if (evaluationPaths.FirstOrDefault(p => calibrationPaths.Contains(Path.GetFullPath(p))) is string shared)
            {
                throw new NeuriteException("quantize.eval", $"--eval '{shared}' is also calibration data: a model must not be scored on the samples it was calibrated on");
            }

            var file = parsed.GetValue(model)!;
            var loaded = NeuriteModel.Load(file.FullName);
            var calibration = arguments.CalibrationData(parsed, loaded.Model);
            EvaluationData? scored = null;
            if (labelsFile is not null)
            {
                var samples = SampleData.FromFiles(loaded.Model, evaluationPaths, arguments.Preprocessing(parsed), "--eval");
                scored = new EvaluationData(samples, EvaluationData.ReadLabels(labelsFile.FullName));
                if (parsed.GetValue(evaluationCount) is int count)
                {
                    scored = scored.Take(count);
                }
            }

            var quantised = loaded.Quantize(calibration, settings, scored);
            var written = quantised.Save(target.FullName, reportFile?.FullName, file.Name);
            QuantizationReportTable.Print(file.Name, quantised, calibration, scored);
            // Warnings do not stop the model from being written (the exit code stays 0); they go where a script looks for trouble.
            foreach (var warning in quantised.Warnings)
            {
                Console.Error.WriteLine(warning);
            }
            foreach (var path in written)
            {
                Console.WriteLine($"wrote {path}");
            }
            if (quantised is FixedPointQuantizedModel && target.Extension.Equals(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                Console.WriteLine($"note: {target.Name} is {FixedPointQuantizedModel.OnnxNote}");
            }
            return CommandGuard.Success;
        }));
        return command;
    }
}

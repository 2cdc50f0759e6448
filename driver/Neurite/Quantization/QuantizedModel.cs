using Neurite.Frontend;
using Neurite.Frontend.Dsl;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize.Report;

namespace Neurite;

/// <summary>
/// A quantised model, whatever the scheme: the quantised graph, the float model it was made from,
/// the settings and passes that made it, the quantiser's warnings, and the report when it was
/// measured. Each scheme is one subclass with its own per-layer result and report
/// (<see cref="IntegerQuantizedModel"/>: integer-only ops between QuantizeLinear and
/// DequantizeLinear; <see cref="FixedPointQuantizedModel"/>: ap_fixed-style ops between ToFixed and
/// FromFixed), so code that handles one scheme matches its type once and then reads plain fields.
/// </summary>
public abstract class QuantizedModel
{
    private protected QuantizedModel(NeuriteModel model, Model floatModel, QuantizeSettings settings, IReadOnlyList<string> passes, IReadOnlyList<Diagnostic> warnings)
    {
        Model = model;
        FloatModel = floatModel;
        Settings = settings;
        Passes = passes;
        Warnings = warnings;
    }

    /// <summary>The quantised graph, runnable with the reference interpreter like any model.</summary>
    public NeuriteModel Model { get; }

    /// <summary>The float model after the passes before quantisation: the reference the report compares with.</summary>
    public Model FloatModel { get; }

    public QuantizeSettings Settings { get; }

    /// <summary>The passes that made the quantised graph, in order, the last one the quantisation with its settings.</summary>
    public IReadOnlyList<string> Passes { get; }

    /// <summary>What the quantiser warns about (fixed point: a type that can overflow on the calibrated range); the model is usable all the same.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; }

    /// <summary>Per-layer rows, sizes and accuracies; null when quantised without measuring (compile).</summary>
    public abstract QuantizationReport? Report { get; }

    /// <summary>The model as the ONNX file <see cref="Save"/> writes.</summary>
    public abstract Model ToOnnx();

    /// <summary>
    /// Writes the model, and the report as JSON when <paramref name="reportPath"/> is given:
    /// <c>.onnx</c> as <see cref="ToOnnx"/> makes it, <c>.nrt</c> as the quantised graph in the
    /// Neurite language with its weights in the <c>.npz</c> beside it. All files appear or none
    /// (each is written beside its place first and moved in when every one is complete).
    /// </summary>
    public IReadOnlyList<string> Save(string path, string? reportPath = null, string? sourceName = null)
    {
        CheckOutputPath(path, reportPath);
        using var files = new StagedFiles();
        string full = Path.GetFullPath(path);
        if (Path.GetExtension(full).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var bytes = OnnxExporter.ToBytes(ToOnnx());
            files.Write(full, temporary => File.WriteAllBytes(temporary, bytes));
        }
        else
        {
            DslPrinter.Stage(Model.Model, full, files);
        }
        if (reportPath is not null)
        {
            if (Report is null)
            {
                throw new InvalidOperationException("this model was quantised without measuring; there is no report to write");
            }
            string json = QuantizationReportJson.Write(this, sourceName ?? "model", full);
            files.Write(Path.GetFullPath(reportPath), temporary => File.WriteAllText(temporary, json, new System.Text.UTF8Encoding(false)));
        }
        return files.Commit();
    }

    /// <summary>Every problem with where the files would go, before any work: the format and an existing folder.</summary>
    public static void CheckOutputPath(string path, string? reportPath)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".onnx" or DslReader.Extension))
        {
            throw new NeuriteException("quantize.output", $"-o '{Path.GetFileName(path)}': quantize writes ONNX (.onnx) or the quantised graph in the Neurite language (.nrt), not '{(extension.Length == 0 ? "(no extension)" : extension)}'");
        }
        foreach (var (option, file) in new[] { ("-o", path), ("--report", reportPath) })
        {
            if (file is null)
            {
                continue;
            }
            string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
            if (!Directory.Exists(folder))
            {
                throw new NeuriteException("quantize.output", $"{option} '{file}': the folder '{folder}' does not exist");
            }
        }
        if (reportPath is not null && !reportPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new NeuriteException("quantize.output", $"--report '{Path.GetFileName(reportPath)}': the report is written as JSON; name it *.json");
        }
    }
}

using Neurite.Backends;
using Neurite.Frontend.Onnx;
using Neurite.Ir;

namespace Neurite;

/// <summary>
/// The compile pipeline every front end shares: load → optimisation passes (or, when asked,
/// the passes valid before quantisation and post-training quantisation) → the target's
/// <see cref="ITarget.Check"/> → <see cref="ITarget.Emit"/>. Nothing is written when the check
/// finds a problem.
/// </summary>
public static class Compilation
{
    /// <summary>
    /// The optimisation passes every target gets: the <c>default</c> pipeline (constant folding,
    /// BatchNormalization folding, activation fusion into neurite.FusedConv/FusedGemm, ...). Returns
    /// the optimised model and the names of the passes that ran, in order; the manifest records them.
    /// </summary>
    public static (Model Model, IReadOnlyList<string> Passes) Optimize(Model model)
    {
        var result = Optimizer.Run(model, Optimizer.DefaultPipeline);
        return (result.Model, [.. result.Report.Passes.Select(p => p.Name)]);
    }

    /// <summary>
    /// Compiles a loaded model for a target into <paramref name="outputFolder"/>, quantised first when
    /// <paramref name="quantization"/> is given. Warnings found on the way (the quantiser's overflow
    /// analysis, the target's check) go into <paramref name="warnings"/>; errors throw before anything is written.
    /// </summary>
    public static Artifact Compile(NeuriteModel model, ITarget target, TargetOptions options, string outputFolder, QuantizationRequest? quantization = null,
        ICollection<Diagnostic>? warnings = null)
    {
        Model optimized;
        IReadOnlyList<string> passes;
        if (quantization is null)
        {
            (optimized, passes) = Optimize(model.Model);
        }
        else
        {
            var quantised = Quantize(model, quantization);
            (optimized, passes) = (quantised.Model.Model, quantised.Passes);
            Collect(quantised.Warnings, warnings);
        }
        var check = target.Check(optimized, options);
        Collect(check.Where(d => d.Severity == Severity.Warning), warnings);
        NeuriteException.ThrowIfErrors(check);
        var provenance = new ArtifactProvenance(
            model.SourcePath is string path ? Path.GetFileName(path) : model.Graph.Name,
            SourceHash(model),
            passes);
        return target.Emit(optimized, options, provenance, new DirectoryInfo(outputFolder));
    }

    /// <summary>
    /// The passes valid before quantisation, then the quantisation itself (calibrated on the
    /// request's samples, integer or fixed point as its settings say), unmeasured; its pass list
    /// ends with the quantisation and its settings, which the manifest records.
    /// </summary>
    public static QuantizedModel Quantize(NeuriteModel model, QuantizationRequest quantization) =>
        ModelQuantizer.Quantize(model, quantization.Calibration, quantization.Settings, measure: false);

    private static void Collect(IEnumerable<Diagnostic> found, ICollection<Diagnostic>? warnings)
    {
        foreach (var diagnostic in found)
        {
            warnings?.Add(diagnostic);
        }
    }

    /// <summary>The SHA-256 of the model file, or of its ONNX encoding for a model built in code.</summary>
    public static string SourceHash(NeuriteModel model) =>
        model.SourcePath is string path && File.Exists(path) ? ContentHash.OfFile(path) : ContentHash.Of(OnnxExporter.ToBytes(model.Model));
}

/// <summary>What <c>compile --quantize</c> asks for: the samples to calibrate on and the quantisation settings.</summary>
public sealed record QuantizationRequest(SampleData Calibration, QuantizeSettings Settings);

using Neurite.Frontend.Dsl;
using Neurite.Ir;
using Neurite.Passes;

namespace Neurite;

/// <summary>
/// Runs a pass pipeline over a model: what <c>neurite optimize</c> does, and what
/// <c>neurite compile</c> runs before emission.
/// <code>
///   var optimised = Optimizer.Run(model.Model, "default", new OptimizeOptions { DumpDirectory = "ir" });
///   Console.Write(optimised.Report.FormatTable());
/// </code>
/// </summary>
public static class Optimizer
{
    /// <summary>The pipeline <c>neurite compile</c> and <c>neurite optimize</c> run unless told otherwise.</summary>
    public const string DefaultPipeline = "default";

    /// <param name="pipeline">A pipeline name (<c>default</c>, <c>onnx</c>) or a comma-separated list of pass and pipeline names.</param>
    /// <exception cref="NeuriteException">An unknown pass name, a pass whose requirement cannot be met, or (with verification on) a pass that broke the graph.</exception>
    public static OptimizationResult Run(Model model, string pipeline = DefaultPipeline, OptimizeOptions? options = null)
    {
        options ??= new OptimizeOptions();
        var registry = options.Registry ?? PassRegistry.Default;
        var passes = registry.Resolve(pipeline);
        var manager = new PassManager(registry, new PassManagerOptions
        {
            VerifyEachPass = options.VerifyEachPass,
            DumpDirectory = options.DumpDirectory,
            DumpFormat = options.DumpFormat ?? NeuriteLanguageDump,
        });
        var result = manager.Run(model, passes);
        if (!options.VerifyEachPass)
        {
            // One check at the end even when not after every pass: an optimised model is never handed on unverified.
            var errors = GraphVerifier.Verify(result.Model).Where(d => d.Severity == Severity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new NeuriteException([Diagnostic.Error("optimize.invalid-result",
                    $"the pipeline '{pipeline}' produced a graph the verifier rejects; rerun with verification after every pass to find the pass"), .. errors]);
            }
        }
        return new OptimizationResult(result.Model, result.Report);
    }

    /// <summary>IR dumps in the Neurite language: one .nrt per pass, its large tensors in the .npz of the same name.</summary>
    public static IrDumpFormat NeuriteLanguageDump { get; } = new(".nrt", (model, path) => DslPrinter.Save(model, path));

    public static OptimizationResult Run(NeuriteModel model, string pipeline = DefaultPipeline, OptimizeOptions? options = null) =>
        Run(model.Model, pipeline, options);
}

/// <summary>How <see cref="Optimizer"/> runs a pipeline.</summary>
public sealed record OptimizeOptions
{
    /// <summary>Verify after every pass (slower; names the pass that broke a graph).</summary>
    public bool VerifyEachPass { get; init; }

    /// <summary>Write the IR before the first and after every pass into this folder.</summary>
    public string? DumpDirectory { get; init; }

    /// <summary>The writer for IR dumps; the Neurite language (<see cref="Optimizer.NeuriteLanguageDump"/>) unless set.</summary>
    public IrDumpFormat? DumpFormat { get; init; }

    /// <summary>Passes beyond the standard ones (quantisation, spiking), when an embedding program adds its own.</summary>
    public PassRegistry? Registry { get; init; }
}

/// <summary>The optimised model and the per-pass report (time, allocations, node counts).</summary>
public sealed record OptimizationResult(Model Model, PipelineReport Report);

using Neurite.Backends;
using Neurite.Backends.Cpu;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;

namespace Neurite.Backends.Tests.Cpu;

/// <summary>Compiling real models for the CPU target in tests: options that bind the batch, provenance from the file.</summary>
public static class CpuCompilation
{
    public static readonly CpuTarget Target = new();

    /// <summary>Options binding every symbolic leading (batch) dimension of the model's inputs to <paramref name="batch"/>.</summary>
    public static TargetOptions BatchOptions(Model model, int batch)
    {
        var options = TargetOptions.Default;
        foreach (var input in model.Graph.Inputs)
        {
            if (input.Type is TensorType { Shape.IsRankKnown: true } t && t.Shape.Rank > 0 && t.Shape[0].Symbol is string symbol)
            {
                options = options.WithDimension(symbol, batch);
            }
        }
        return options;
    }

    public static ArtifactProvenance Provenance(string path) =>
        new(Path.GetFileName(path), ContentHash.OfFile(path), []);

    /// <summary>
    /// Compiles a shared model as <c>neurite compile</c> does: the default optimisation pipeline, then
    /// the target. With <paramref name="optimize"/> false the imported graph goes to the target as it
    /// is, which exercises the target's own fusion (BatchNormalization, activations) on unfused graphs.
    /// </summary>
    public static Artifact Compile(string relativePath, string folder, int batch = 4, TargetOptions? extra = null, bool optimize = true)
    {
        string path = SharedData.Path("models", relativePath);
        var model = OnnxImporter.Load(path);
        model = optimize ? Compilation.Optimize(model).Model : model;
        var options = BatchOptions(model, batch);
        if (extra is not null)
        {
            options = options with { Settings = extra.Settings };
        }
        return Target.Emit(model, options, Provenance(path), new DirectoryInfo(folder));
    }
}

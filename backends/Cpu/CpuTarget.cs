using System.Collections.Immutable;
using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// The CPU target: a float32 model becomes portable C (<c>model.h</c>, <c>model.c</c>, a
/// <c>main.c</c> harness for .npy files and a Makefile), and its simulator is that C compiled by
/// the system compiler and called in process. Settings: <c>cc</c> (default "cc") and
/// <c>cflags</c> (default "-O3 -march=native").
/// </summary>
public sealed class CpuTarget : ITarget
{
    public const string DefaultCompiler = "cc";
    public const string DefaultFlags = "-O3 -march=native";

    public string Name => "cpu";

    public IReadOnlyList<Diagnostic> Check(Model model, TargetOptions options) =>
        [.. CheckSettings(options), .. CpuLowering.Lower(BoundModel.Bind(model, options)).Diagnostics];

    /// <summary>The options with every setting the target uses filled in, as the manifest records them.</summary>
    public static TargetOptions Complete(TargetOptions options) => options
        .WithSetting("cc", options.Setting("cc") ?? DefaultCompiler)
        .WithSetting("cflags", options.Setting("cflags") ?? DefaultFlags);

    public Artifact Emit(Model model, TargetOptions options, ArtifactProvenance provenance, DirectoryInfo output)
    {
        options = Complete(options);
        var lowered = CpuLowering.Lower(BoundModel.Bind(model, options));
        NeuriteException.ThrowIfErrors([.. CheckSettings(options), .. lowered.Diagnostics]);
        var emitted = ModelSourceWriter.Write(lowered, provenance);
        // Only the symbolic dimensions the model has are recorded, so unused --dim options do not change the artifact.
        var symbols = model.Graph.Inputs.Select(i => i.Type).OfType<TensorType>().Where(t => t.Shape.IsRankKnown)
            .SelectMany(t => t.Shape.Dims).Where(d => d.Symbol is not null).Select(d => d.Symbol!).ToHashSet(StringComparer.Ordinal);
        var recorded = options with
        {
            Dimensions = symbols.ToImmutableSortedDictionary(s => s, options.SizeOf, StringComparer.Ordinal),
        };
        using var writer = new ArtifactWriter(output);
        writer.WriteText("model.h", emitted.Header);
        writer.WriteText("model.c", emitted.Source);
        writer.WriteText("main.c", Template("main.c"));
        writer.WriteText("Makefile", Template("Makefile").Replace("@CFLAGS@", options.Setting("cflags"), StringComparison.Ordinal));
        return writer.Commit(files => new ArtifactManifest(Name, recorded, provenance, emitted.Inputs, emitted.Outputs, emitted.Intermediates, files, emitted.Metrics));
    }

    public ISimulator Load(Artifact artifact)
    {
        if (artifact.Manifest.Target != Name)
        {
            throw new NeuriteException("artifact.target", $"'{artifact.Folder.FullName}' is a '{artifact.Manifest.Target}' artifact, not a CPU one");
        }
        NeuriteException.ThrowIfErrors(artifact.VerifyFiles());
        var library = NativeBuild.SharedLibrary(artifact);
        return new NativeSimulator(library, artifact.Manifest);
    }

    private static IEnumerable<Diagnostic> CheckSettings(TargetOptions options)
    {
        foreach (var name in options.Settings.Keys.Where(k => k is not ("cc" or "cflags")))
        {
            yield return Diagnostic.Error("options.setting", $"the CPU target has no setting '{name}'; it takes 'cc' and 'cflags'");
        }
    }

    private static string Template(string name)
    {
        using var stream = typeof(CpuTarget).Assembly.GetManifestResourceStream($"Neurite.Backends.Cpu.Templates.{name}")
            ?? throw new InvalidOperationException($"template {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

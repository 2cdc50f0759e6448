using Neurite.Ir;

namespace Neurite.Backends;

/// <summary>
/// The contract every backend follows (../shared/ARCHITECTURE.md): say everything that stops a
/// model before doing any work, write an artifact folder that appears complete or not at all,
/// and load such a folder into a simulator that executes the emitted files, never the IR.
/// </summary>
public interface ITarget
{
    /// <summary>The name artifacts record and the CLI accepts ("cpu", later "fpga", "loihi2", ...).</summary>
    string Name { get; }

    /// <summary>Every reason the model cannot be emitted with these options; empty when it can.</summary>
    IReadOnlyList<Diagnostic> Check(Model model, TargetOptions options);

    /// <summary>
    /// Writes the artifact into <paramref name="output"/> (created, or replaced when it holds an
    /// earlier artifact). Throws <see cref="NeuriteException"/> with <see cref="Check"/>'s
    /// diagnostics before writing anything when the model does not fit.
    /// </summary>
    Artifact Emit(Model model, TargetOptions options, ArtifactProvenance provenance, DirectoryInfo output);

    /// <summary>A simulator that runs the files of <paramref name="artifact"/>.</summary>
    ISimulator Load(Artifact artifact);
}

/// <summary>Runs an emitted artifact on tensors given by name; outputs come back by name.</summary>
public interface ISimulator : IDisposable
{
    IReadOnlyList<ManifestTensor> Inputs { get; }
    IReadOnlyList<ManifestTensor> Outputs { get; }
    IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs);
}

/// <summary>Where an artifact came from: the source model's hash and the passes applied to it, in order.</summary>
public sealed record ArtifactProvenance(string SourceName, string SourceSha256, IReadOnlyList<string> Passes);

using Neurite.Ir;

namespace Neurite.Backends;

/// <summary>
/// The targets Neurite knows, by name: how <c>compile --target</c> finds a backend and how
/// <c>simulate</c> loads any artifact folder by the target its manifest records.
/// </summary>
public sealed class TargetRegistry
{
    private readonly IReadOnlyDictionary<string, ITarget> targets;

    public TargetRegistry(IEnumerable<ITarget> targets) =>
        this.targets = targets.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Every target built into Neurite.</summary>
    public static TargetRegistry Default { get; } = new([new Cpu.CpuTarget()]);

    public IEnumerable<string> Names => targets.Keys.Order(StringComparer.Ordinal);

    public ITarget Find(string name) => targets.TryGetValue(name, out var target) ? target
        : throw new NeuriteException("target.unknown", $"'{name}' is not a Neurite target; known targets: {string.Join(", ", Names)}");

    /// <summary>Opens an artifact folder, checks its files against the manifest and loads it with its target.</summary>
    public ISimulator Load(string folder)
    {
        var artifact = Artifact.Open(folder);
        if (!targets.ContainsKey(artifact.Manifest.Target))
        {
            throw new NeuriteException("artifact.target", $"'{folder}' was made for target '{artifact.Manifest.Target}', which this Neurite does not know; known targets: {string.Join(", ", Names)}");
        }
        NeuriteException.ThrowIfErrors(artifact.VerifyFiles());
        return Find(artifact.Manifest.Target).Load(artifact);
    }
}

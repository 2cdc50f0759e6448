using System.Collections.Immutable;
using Neurite.Ir;

namespace Neurite.Backends;

/// <summary>A tensor at an artifact's boundary (or inside it): name, element type and static shape.</summary>
public sealed record ManifestTensor(string Name, string ElementType, ImmutableArray<int> Shape)
{
    public int ElementCount => Shape.Aggregate(1, (n, d) => checked(n * d));

    public string TypeText => $"{ElementType}[{string.Join(",", Shape)}]";

    public override string ToString() => $"{Name}: {TypeText}";
}

/// <summary>A file of the artifact and the SHA-256 of its bytes, so a loader can tell a damaged folder.</summary>
public sealed record ManifestFile(string Path, string Sha256);

/// <summary>
/// What <c>manifest.json</c> records: which target made the artifact with which options, from
/// which model through which passes, its interface, its files and the target's metrics
/// (for the CPU target: arena bytes against the sum of all tensor bytes, weight bytes, MACs).
/// </summary>
public sealed record ArtifactManifest(
    string Target,
    TargetOptions Options,
    ArtifactProvenance Source,
    IReadOnlyList<ManifestTensor> Inputs,
    IReadOnlyList<ManifestTensor> Outputs,
    IReadOnlyList<ManifestTensor> Intermediates,
    IReadOnlyList<ManifestFile> Files,
    ImmutableSortedDictionary<string, long> Metrics)
{
    public const string FileName = "manifest.json";

    /// <summary>The format written in the manifest; a loader refuses any other.</summary>
    public const string Format = "neurite-artifact/1";

    public long Metric(string name) => Metrics.TryGetValue(name, out long value) ? value : throw new KeyNotFoundException($"the manifest has no metric '{name}'");
}

/// <summary>An artifact folder and the manifest it holds.</summary>
public sealed record Artifact(DirectoryInfo Folder, ArtifactManifest Manifest)
{
    public string PathOf(string file) => System.IO.Path.Combine(Folder.FullName, file);

    /// <summary>Reads and validates <c>manifest.json</c> of a folder; a missing or damaged one is a <see cref="NeuriteException"/>.</summary>
    public static Artifact Open(string folder)
    {
        var directory = new DirectoryInfo(folder);
        if (!directory.Exists)
        {
            throw new NeuriteException("artifact.missing", $"artifact folder '{directory.FullName}' does not exist");
        }
        return new Artifact(directory, ManifestJson.Read(System.IO.Path.Combine(directory.FullName, ArtifactManifest.FileName)));
    }

    /// <summary>Checks that every file the manifest lists is present with the recorded hash.</summary>
    public IReadOnlyList<Diagnostic> VerifyFiles()
    {
        var problems = new List<Diagnostic>();
        foreach (var file in Manifest.Files)
        {
            string path = PathOf(file.Path);
            if (!File.Exists(path))
            {
                problems.Add(Diagnostic.Error("artifact.file", $"artifact '{Folder.FullName}' lists '{file.Path}' but the file is missing"));
            }
            else if (ContentHash.OfFile(path) != file.Sha256)
            {
                problems.Add(Diagnostic.Error("artifact.file", $"'{path}' was changed after compilation: its SHA-256 is not the {file.Sha256[..12]}... the manifest records"));
            }
        }
        return problems;
    }
}

using System.Collections.Immutable;
using System.Text;
using Neurite.Ir;

namespace Neurite.Backends;

/// <summary>
/// Writes an artifact into a hidden staging folder beside its destination and moves it into place
/// only when every file and the manifest are written, so a failure never leaves half an artifact.
/// A destination that exists must be empty or an earlier artifact (it has a manifest): a folder
/// of other files is never replaced.
/// </summary>
public sealed class ArtifactWriter : IDisposable
{
    private readonly string destination;
    private readonly string staging;
    private readonly SortedDictionary<string, string> hashes = new(StringComparer.Ordinal);
    private bool committed;

    public ArtifactWriter(DirectoryInfo output)
    {
        destination = output.FullName.TrimEnd(Path.DirectorySeparatorChar);
        RefuseForeignFolder(destination);
        string parent = Path.GetDirectoryName(destination) ?? ".";
        Directory.CreateDirectory(parent);
        staging = Path.Combine(parent, $".{Path.GetFileName(destination)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
    }

    /// <summary>Writes a text file of the artifact with '\n' line ends and no byte-order mark.</summary>
    public void WriteText(string relativePath, string text) => WriteBytes(relativePath, new UTF8Encoding(false).GetBytes(text.ReplaceLineEndings("\n")));

    public void WriteBytes(string relativePath, byte[] bytes)
    {
        string path = Path.Combine(staging, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        hashes[relativePath.Replace('\\', '/')] = ContentHash.Of(bytes);
    }

    public IReadOnlyList<ManifestFile> Files => hashes.Select(p => new ManifestFile(p.Key, p.Value)).ToList();

    /// <summary>Writes the manifest (listing every file written so far) and moves the folder into place.</summary>
    public Artifact Commit(Func<IReadOnlyList<ManifestFile>, ArtifactManifest> manifest)
    {
        var complete = manifest(Files);
        File.WriteAllBytes(Path.Combine(staging, ArtifactManifest.FileName), new UTF8Encoding(false).GetBytes(ManifestJson.Write(complete)));
        string? previous = null;
        if (Directory.Exists(destination))
        {
            RefuseForeignFolder(destination);
            previous = staging + ".previous";
            Directory.Move(destination, previous);
        }
        Directory.Move(staging, destination);
        committed = true;
        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
        return new Artifact(new DirectoryInfo(destination), complete);
    }

    private static void RefuseForeignFolder(string folder)
    {
        if (File.Exists(folder))
        {
            throw new NeuriteException("artifact.output", $"'{folder}' is a file; the artifact needs a folder");
        }
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, ArtifactManifest.FileName)))
        {
            throw new NeuriteException("artifact.output", $"'{folder}' holds files that are not a Neurite artifact; give an empty or new folder");
        }
    }

    public void Dispose()
    {
        if (!committed && Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}

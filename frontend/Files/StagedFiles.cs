namespace Neurite.Frontend;

/// <summary>
/// Files that must appear complete or not at all, alone or together (a program and its .npz, a
/// model and its report): each is written to a hidden file beside its place, and only when every
/// one is complete are they moved in. Disposing without <see cref="Commit"/> (a failure on the
/// way) deletes what was staged, so a failure never leaves half a file.
/// </summary>
public sealed class StagedFiles : IDisposable
{
    private readonly List<(string Temporary, string Final)> staged = [];

    /// <summary>Stages <paramref name="path"/>: <paramref name="write"/> is given the hidden file to write it to.</summary>
    public void Write(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        staged.Add((temporary, full));
        write(temporary);
    }

    /// <summary>Moves every staged file into place; returns the final (full) paths.</summary>
    public IReadOnlyList<string> Commit()
    {
        foreach (var (temporary, final) in staged)
        {
            File.Move(temporary, final, overwrite: true);
        }
        var written = staged.Select(s => s.Final).ToList();
        staged.Clear();
        return written;
    }

    public void Dispose()
    {
        foreach (var (temporary, _) in staged)
        {
            File.Delete(temporary);
        }
        staged.Clear();
    }
}

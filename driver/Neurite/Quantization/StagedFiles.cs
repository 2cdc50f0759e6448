namespace Neurite;

/// <summary>
/// Several files that must appear together or not at all: each is written to a hidden file
/// beside its place, and only when every one is complete are they moved in. Disposing without
/// <see cref="Commit"/> (a failure on the way) deletes what was staged.
/// </summary>
internal sealed class StagedFiles : IDisposable
{
    private readonly List<(string Temporary, string Final)> staged = [];

    public void Write(string path, Action<string> write)
    {
        string folder = Path.GetDirectoryName(path)!;
        string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        staged.Add((temporary, path));
        write(temporary);
    }

    /// <summary>Moves every staged file into place; returns the final paths.</summary>
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

using Antlr4.Runtime;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// The side files a program reads weights from (.npz, .npy, raw binary). A path is relative to
/// the program's folder and may not leave it: the same rule, and the same code, as ONNX
/// external data (<see cref="ExternalDataPolicy"/>), so a downloaded .nrt cannot read other files.
/// </summary>
internal sealed class WeightFiles(string? folder, DslProblems problems)
{
    private readonly ExternalDataPolicy? policy = folder is null ? null : new ExternalDataPolicy(folder);
    private readonly Dictionary<string, IReadOnlyDictionary<string, Tensor>?> archives = new(StringComparer.Ordinal);

    /// <summary>The real path of <paramref name="location"/>, or null after reporting why it cannot be read.</summary>
    public string? Resolve(string location, IToken at)
    {
        if (policy is null)
        {
            problems.Error(at, "dsl.file", $"weight file '{location}' cannot be read: the program was not read from a file, so it has no folder");
            return null;
        }
        var check = policy.Check(location);
        if (check.Refusal is not null)
        {
            problems.Error(at, "dsl.path", $"weight file '{location}' is refused: {check.Refusal}");
            return null;
        }
        if (check.RealPath is null)
        {
            problems.Error(at, "dsl.file", $"weight file '{location}' does not exist in the model's folder");
            return null;
        }
        return check.RealPath;
    }

    public IReadOnlyDictionary<string, Tensor>? Archive(string location, IToken at)
    {
        if (!location.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            problems.Error(at, "dsl.file", $"'{location}' is not a NumPy archive: params files are .npz (a single .npy is read with param NAME: TYPE = file(\"{location}\"))");
            return null;
        }
        if (archives.TryGetValue(location, out var cached))
        {
            return cached;
        }
        IReadOnlyDictionary<string, Tensor>? arrays = null;
        if (Resolve(location, at) is { } path)
        {
            arrays = Read(() => Npz.Read(path), location, at);
        }
        archives[location] = arrays;
        return arrays;
    }

    public Tensor? Array(string location, IToken at)
    {
        if (location.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            problems.Error(at, "dsl.file", $"'{location}' is an archive of several arrays: name one with file(\"{location}\", key=\"NAME\")");
            return null;
        }
        return Resolve(location, at) is { } path ? Read(() => Npy.Read(path), location, at) : null;
    }

    public byte[]? Bytes(string location, IToken at, long offset, long length)
    {
        if (Resolve(location, at) is not { } path)
        {
            return null;
        }
        long size = new FileInfo(path).Length;
        if (offset < 0 || length < 0 || offset + length > size)
        {
            problems.Error(at, "dsl.file", $"raw file '{location}' holds {size} bytes; offset {offset} and length {length} reach past its end");
            return null;
        }
        var bytes = new byte[length];
        using var stream = File.OpenRead(path);
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }

    private T? Read<T>(Func<T> read, string location, IToken at) where T : class
    {
        try
        {
            return read();
        }
        catch (NeuriteException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                problems.Error(at, "dsl.file", $"weight file '{location}': {diagnostic.Message}");
            }
            return null;
        }
        catch (IOException e)
        {
            problems.Error(at, "dsl.file", $"weight file '{location}' cannot be read: {e.Message}");
            return null;
        }
    }
}

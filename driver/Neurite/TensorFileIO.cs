using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;

namespace Neurite;

/// <summary>Reading run inputs and writing run outputs: ONNX TensorProto <c>.pb</c> and NumPy <c>.npy</c>.</summary>
public static class TensorFileIO
{
    public static IValue Read(string path, IrType? expected = null) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".npy" => Npy.Read(path),
        ".pb" => OnnxValueFiles.Read(path, expected),
        _ => throw new NeuriteException("input.format", $"'{path}' is neither a NumPy .npy file nor an ONNX TensorProto .pb file"),
    };

    /// <summary>
    /// Writes each output as NAME.pb and NAME.npy into <paramref name="folder"/>. Files are written
    /// to a temporary folder first and moved in when all are complete. Returns the files written
    /// and notes for outputs NumPy cannot hold.
    /// </summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Notes) WriteOutputs(IReadOnlyDictionary<string, IValue> outputs, string folder)
    {
        string target = Path.GetFullPath(folder);
        string parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Environment.ProcessId}.partial");
        var files = new List<string>();
        var notes = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var (name, value) in outputs)
            {
                if (value is not Tensor tensor)
                {
                    notes.Add($"output '{name}' is a {value.Type}, not a tensor: not written");
                    continue;
                }
                string stem = UniqueStem(name, used);
                OnnxValueFiles.WriteTensor(tensor, name, Path.Combine(staging, stem + ".pb"));
                files.Add(stem + ".pb");
                if (tensor.DataType is DataType.String or DataType.BFloat16 || tensor.DataType.IsNarrowFloat() || tensor.DataType.BitWidth() < 8)
                {
                    notes.Add($"output '{name}' ({tensor.ElementType}) has no NumPy element type: written as {stem}.pb only");
                    continue;
                }
                Npy.Write(tensor, Path.Combine(staging, stem + ".npy"));
                files.Add(stem + ".npy");
            }
            Directory.CreateDirectory(target);
            foreach (var file in files)
            {
                File.Move(Path.Combine(staging, file), Path.Combine(target, file), overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        return (files.Select(f => Path.Combine(target, f)).ToList(), notes);
    }

    /// <summary>The file name stem an output named <paramref name="name"/> is written under (before collision suffixes).</summary>
    public static string FileStem(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return safe.Length == 0 || safe.StartsWith('.') ? "_" + safe : safe;
    }

    /// <summary>A file name stem from a value name: unsafe characters become '_', collisions get a suffix.</summary>
    private static string UniqueStem(string name, HashSet<string> used)
    {
        string safe = FileStem(name);
        string stem = safe;
        for (int i = 1; !used.Add(stem); i++)
        {
            stem = $"{safe}_{i}";
        }
        return stem;
    }
}

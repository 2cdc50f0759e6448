using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;

namespace Neurite;

/// <summary>
/// The files calibration, evaluation and labels come in: NumPy <c>.npy</c>, ONNX TensorProto
/// <c>.pb</c>, IDX as MNIST ships it (<c>t10k-images-idx3-ubyte</c>, gzipped or not), and
/// folders of <c>.npy</c>/<c>.pb</c> files, read in name order.
/// </summary>
public static class DataFiles
{
    /// <summary>Every tensor a path names, with the file it came from; <paramref name="option"/> names the argument in diagnostics.</summary>
    public static IReadOnlyList<(string File, Tensor Tensor)> Read(string path, string option)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path)
                .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".npy" or ".pb")
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
            {
                throw new NeuriteException("data.folder", $"{option} '{path}': the folder holds no .npy or .pb files");
            }
            return files.Select(f => (f, ReadFile(f, option))).ToList();
        }
        if (!File.Exists(path))
        {
            throw new NeuriteException("data.file", $"{option} '{path}' does not exist");
        }
        return [(path, ReadFile(path, option))];
    }

    /// <summary>True for IDX names: MNIST's <c>*-ubyte</c> and <c>*.idx</c>, each optionally <c>.gz</c>.</summary>
    public static bool IsIdx(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            name = name[..^3];
        }
        return name.EndsWith("-ubyte", StringComparison.Ordinal) || name.EndsWith(".idx", StringComparison.Ordinal);
    }

    private static Tensor ReadFile(string path, string option)
    {
        if (IsIdx(path))
        {
            return Idx.Read(path);
        }
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".npy" => Npy.Read(path),
            ".pb" => OnnxValueFiles.ReadTensor(path),
            _ => throw new NeuriteException("data.format",
                $"{option} '{Path.GetFileName(path)}': expected a NumPy .npy file, an ONNX TensorProto .pb file, an IDX file (*-ubyte, optionally .gz) or a folder of .npy/.pb files"),
        };
    }
}

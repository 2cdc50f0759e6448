using Neurite.Frontend.Dsl;
using Neurite.Frontend.Onnx;
using Neurite.Ir;

namespace Neurite;

/// <summary>Chooses the reader for a model file by its extension: ONNX (.onnx) or the Neurite language (.nrt).</summary>
public static class ModelFiles
{
    public static Model Load(string path) => Import(path).ModelOrThrow();

    /// <summary>Reads a model and reports problems instead of throwing, for tools that show partly supported models.</summary>
    public static ImportResult Import(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".onnx" => OnnxImporter.Import(path),
        DslReader.Extension => DslReader.Import(path),
        _ => new ImportResult(null, [Diagnostic.Error("model.format",
            $"'{path}' is not a model Neurite reads: expected an ONNX file (.onnx) or a Neurite program (.nrt)")]),
    };
}

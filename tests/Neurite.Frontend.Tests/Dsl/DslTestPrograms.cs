using Neurite.Frontend.Dsl;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>Reads programs written in a test, from a temporary folder that also holds their weight files.</summary>
internal static class DslTestPrograms
{
    public static Model Load(string program, TemporaryFolder? folder = null)
    {
        var result = Read(program, folder);
        Xunit.Assert.True(!result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Model!;
    }

    public static ImportResult Read(string program, TemporaryFolder? folder = null) =>
        DslReader.Parse(program, "test.nrt", folder?.Path);

    /// <summary>Runs a model in the interpreter and in ONNX Runtime (after export), returning both outputs.</summary>
    public static (IReadOnlyDictionary<string, Tensor> Interpreter, IReadOnlyDictionary<string, Tensor> OnnxRuntime) RunBoth(
        Model model, IReadOnlyDictionary<string, Tensor> inputs)
    {
        var interpreted = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value))
            .ToDictionary(p => p.Key, p => (Tensor)p.Value);
        using var reference = new OnnxRuntimeReference(Neurite.Frontend.Onnx.OnnxExporter.ToBytes(model), optimize: false);
        return (interpreted, reference.Run(inputs));
    }
}

using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Models.Tests;

/// <summary>
/// Import then export gives a model ONNX Runtime loads and runs with the same outputs as the
/// original file. Where ONNX Runtime cannot run the original (opset 1 and 6, QONNX), the export is
/// re-imported and must compute the same as the original in the interpreter.
/// </summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models() => [.. ModelCatalog.AllModelFiles().Where(p => !ModelExceptions.Invalid.ContainsKey(p))];

    [Theory]
    [MemberData(nameof(Models))]
    public void ExportComputesWhatTheOriginalComputes(string relativePath)
    {
        string path = SharedData.Path("models", relativePath);
        var model = OnnxImporter.Load(path);
        var exported = OnnxExporter.ToBytes(model);
        var inputs = ModelInputs.For(model, relativePath, batch: 2);

        if (model.OpsetOf("") < 7 || ModelExceptions.Qonnx.Contains(relativePath))
        {
            var reimported = OnnxImporter.Load(exported);
            var before = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
            var after = new Interpreter(reimported).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
            foreach (var (name, value) in before)
            {
                Assert.Equal(0, TensorComparison.MaxAbsDifference((Tensor)value, (Tensor)after[name]));
            }
            return;
        }
        // Graph rewrites off: ONNX Runtime runs both graphs as written, so any difference is the export's.
        using var original = new OnnxRuntimeReference(path, optimize: false);
        using var roundTrip = new OnnxRuntimeReference(exported, optimize: false);
        var expected = original.Run(inputs);
        var actual = roundTrip.Run(inputs);
        foreach (var (name, value) in expected)
        {
            double difference = TensorComparison.MaxAbsDifference(value, actual[name]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{relativePath} '{name}': max |diff| = {difference:G3}"));
            Assert.True(difference == 0, $"output '{name}' of the export differs by {difference}");
        }
    }
}

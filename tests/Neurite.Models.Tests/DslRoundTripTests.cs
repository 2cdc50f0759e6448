using System.Diagnostics;
using System.Globalization;
using Neurite.Frontend.Dsl;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Models.Tests;

/// <summary>
/// Every real model through the Neurite language and back: ONNX -> IR -> .nrt (+ .npz) -> IR -> ONNX.
/// The re-read IR equals the imported one field by field, and ONNX Runtime computes exactly the
/// same outputs from the final ONNX file as from the original. Where ONNX Runtime cannot run the
/// original (opsets below 7, QONNX ops), the interpreter runs both IRs and must agree exactly.
/// </summary>
public sealed class DslRoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models() => [.. ModelCatalog.AllModelFiles().Where(p => !ModelExceptions.Invalid.ContainsKey(p))];

    [Theory]
    [MemberData(nameof(Models))]
    public void ProgramComputesWhatTheOriginalComputes(string relativePath)
    {
        string path = SharedData.Path("models", relativePath);
        var model = OnnxImporter.Load(path);
        using var folder = new TemporaryFolder();
        string program = folder.File("model.nrt");
        var watch = Stopwatch.StartNew();
        var document = DslPrinter.Save(model, program);
        var reread = DslReader.Import(program);
        watch.Stop();
        Assert.False(reread.HasErrors, string.Join("\n", reread.Diagnostics));
        Assert.Empty(ModelEquality.Differences(model, reread.Model!));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{relativePath}: {document.Text.Length} characters, {document.SideArrays.Count} arrays in the side file, print + read {watch.ElapsedMilliseconds} ms"));

        var exported = OnnxExporter.ToBytes(reread.Model!);
        var inputs = ModelInputs.For(model, relativePath, batch: 2);
        if (model.OpsetOf("") < 7 || ModelExceptions.Qonnx.Contains(relativePath))
        {
            var before = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
            var after = new Interpreter(OnnxImporter.Load(exported)).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
            foreach (var (name, value) in before)
            {
                Assert.Equal(0, TensorComparison.MaxAbsDifference((Tensor)value, (Tensor)after[name]));
            }
            return;
        }
        using var original = new OnnxRuntimeReference(path, optimize: false);
        using var roundTrip = new OnnxRuntimeReference(exported, optimize: false);
        var expected = original.Run(inputs);
        var actual = roundTrip.Run(inputs);
        foreach (var (name, value) in expected)
        {
            double difference = TensorComparison.MaxAbsDifference(value, actual[name]);
            Assert.True(difference == 0, $"output '{name}' after the round trip differs by {difference}");
        }
    }
}

/// <summary>
/// The models Neurite cannot run (one that breaks the ONNX rules) still
/// print and read back to the same IR, and reading the program reports the same problems as
/// importing the ONNX file, now with the line and column of each op call.
/// </summary>
public sealed class DslRoundTripOfUnsupportedModelsTests
{
    public static TheoryData<string> Models() => [.. ModelExceptions.Invalid.Keys];

    [Theory]
    [MemberData(nameof(Models))]
    public void ProgramReadsBackToTheSameModelAndTheSameProblems(string relativePath)
    {
        var imported = OnnxImporter.Import(SharedData.Path("models", relativePath));
        Assert.NotNull(imported.Model);
        Assert.True(imported.HasErrors, "an invalid model imports without errors: take it off ModelExceptions.Invalid");
        using var folder = new TemporaryFolder();
        string program = folder.File("model.nrt");
        DslPrinter.Save(imported.Model!, program);
        var reread = DslReader.Import(program);
        Assert.NotNull(reread.Model);
        Assert.Empty(ModelEquality.Differences(imported.Model!, reread.Model!));
        Assert.Equal(
            imported.Diagnostics.Select(d => $"{d.Severity} {d.Code}: {d.Message}").ToArray(),
            reread.Diagnostics.Select(d => $"{d.Severity} {d.Code}: {d.Message}").ToArray());
        Assert.All(reread.Diagnostics.Where(d => d.Location?.Node is not null), d => Assert.True(d.Location!.Line > 0, $"{d} has no line"));
    }
}

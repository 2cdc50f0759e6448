using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Models.Tests;

/// <summary>
/// Every real model imports, verifies and runs in the interpreter, and its outputs match ONNX
/// Runtime's on the same inputs within 1e-4; where ONNX Runtime cannot run a model, the
/// reference outputs shipped beside it (or an opset-7 rewrite ONNX Runtime accepts) stand in.
/// </summary>
public sealed class OnnxRuntimeAgreementTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    /// <summary>ONNX Runtime 1.31 has no opset-1 Add kernel; this model is checked against its shipped outputs instead.</summary>
    private const string OpsetOneModel = "onnx-model-zoo/mnist-cntk-opset1/model.onnx";

    public static TheoryData<string> SupportedModels() =>
        [.. ModelCatalog.AllModelFiles().Where(p => !ModelExceptions.Excluded(p) && p != OpsetOneModel)];

    public static TheoryData<string> Invalid() => [.. ModelExceptions.Invalid.Keys];

    [Theory]
    [MemberData(nameof(SupportedModels))]
    public void OutputsMatchOnnxRuntime(string relativePath)
    {
        string path = SharedData.Path("models", relativePath);
        var model = OnnxImporter.Load(path);
        var inputs = ModelInputs.For(model, relativePath);
        var ours = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));

        using var reference = ReferenceFor(model, relativePath, path);
        var expected = reference.Run(inputs);
        foreach (var (name, value) in expected)
        {
            double difference = TensorComparison.MaxAbsDifference(value, (Tensor)ours[name]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{relativePath} output '{name}' {value.TensorType}: max |diff| = {difference:G3}"));
            Assert.True(difference <= Tolerance, $"output '{name}' differs from ONNX Runtime by {difference} (> {Tolerance})");
        }
    }

    [Fact]
    public void OpsetOneModelMatchesItsShippedReferenceOutputs()
    {
        // ONNX Runtime has no kernels for opset-1 Add; the model zoo ships its reference outputs.
        string folder = SharedData.Path("models", "onnx-model-zoo", "mnist-cntk-opset1");
        var model = OnnxImporter.Load(Path.Combine(folder, "model.onnx"));
        var interpreter = new Interpreter(model);
        foreach (var file in Directory.GetFiles(folder, "test_data_*.npz").Order())
        {
            var data = Npz.Read(file);
            var image = data["inputs"].Reshape([1, 1, 28, 28]);
            var logits = interpreter.Run(image);
            double difference = TensorComparison.MaxAbsDifference(data["outputs"], logits);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}: max |diff| = {difference:G3}"));
            Assert.True(difference <= Tolerance, $"{Path.GetFileName(file)}: logits differ from the shipped reference by {difference}");
        }
    }

    /// <summary>
    /// The model zoo's own test data, compared as ONNX's backend runner compares it (rtol 1e-3,
    /// atol 1e-7): its logits reach the hundreds, and the runtime that wrote them rounded
    /// differently in the last bits. (The ShuffleNet-v2 int8 test data was made on machines whose
    /// int8 kernels saturate: see <see cref="Quantized.ShuffleNetTestDataTests"/>.)
    /// </summary>
    [Fact]
    public void ModelZooMnistMatchesItsTestData()
    {
        string root = SharedData.Path("models", "onnx-model-zoo", "mnist-8");
        var model = OnnxImporter.Load(Path.Combine(root, "model.onnx"));
        var input = OnnxValueFiles.ReadTensor(Path.Combine(root, "test_data_set_0", "input_0.pb"));
        var expected = OnnxValueFiles.ReadTensor(Path.Combine(root, "test_data_set_0", "output_0.pb"));
        var actual = new Interpreter(model).Run(input);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |diff| = {TensorComparison.MaxAbsDifference(expected, actual):G3}"));
        Assert.Null(TensorComparison.Compare(expected, actual, rtol: 1e-3, atol: 1e-7));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidModelsAreRejectedAtImportAsOnnxRuntimeRejectsThemAtRun(string relativePath)
    {
        string path = SharedData.Path("models", relativePath);
        var errors = OnnxImporter.Import(path).Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        Assert.Contains(errors, e => e.Code == "type.invalid-node" && e.Location?.Node == ModelExceptions.Invalid[relativePath]);
        var model = OnnxImporter.Import(path, new OnnxImportOptions { Verify = false }).Model!;
        using var reference = new OnnxRuntimeReference(path);
        var failure = Record.Exception(() => reference.Run(ModelInputs.For(model, relativePath)));
        Assert.NotNull(failure);
        Assert.Contains(ModelExceptions.Invalid[relativePath], failure.Message);
    }

    [Fact]
    public void EveryModelFileIsCovered()
    {
        var all = ModelCatalog.AllModelFiles();
        Assert.True(all.Count >= 40, $"only {all.Count} models found under ../shared/models");
        Assert.All(ModelExceptions.Qonnx.Concat(ModelExceptions.Invalid.Keys), k => Assert.Contains(k, all));
    }

    private static OnnxRuntimeReference ReferenceFor(Model model, string relativePath, string path) =>
        model.OpsetOf("") < 7 && relativePath.StartsWith("hls4ml/", StringComparison.Ordinal)
            ? new OnnxRuntimeReference(OpsetUpgrade.From6To7(model))
            : new OnnxRuntimeReference(path);
}

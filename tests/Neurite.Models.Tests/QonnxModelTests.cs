using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Models.Tests;

/// <summary>
/// The QONNX models of ../shared (hls4ml, Brevitas and FINN exports), which ONNX Runtime cannot
/// run: FINN's network against the outputs shipped with it, the others against ONNX Runtime
/// running the QONNX specification's formulas written as standard ops.
/// </summary>
public sealed class QonnxModelTests(ITestOutputHelper output)
{
    public static TheoryData<string> QuantModels() =>
        [.. ModelExceptions.Qonnx.Where(p => !p.StartsWith("finn/", StringComparison.Ordinal))];

    [Fact]
    public void FinnBinaryMlpGivesItsShippedOutputs()
    {
        // tfc_w1a1: 1-bit weights and activations (MultiThreshold), FINN's end-to-end example; it
        // ships four MNIST digits and the classes FINN computed for them.
        string folder = SharedData.Path("models", "finn", "tfc_w1a1_mnist");
        var model = OnnxImporter.Load(Path.Combine(folder, "model.onnx"));
        var images = Npy.Read(Path.Combine(folder, "input.npy"));
        var expected = Npy.Read(Path.Combine(folder, "expected_output.npy")).Span<long>().ToArray();
        var interpreter = new Interpreter(model);
        int size = images.Length / images.Dim(0);
        var classes = new long[images.Dim(0)];
        for (int i = 0; i < classes.Length; i++)
        {
            var image = Tensor.Create(images.Span<float>().Slice(i * size, size).ToArray(), 1, 1, 28, 28);
            classes[i] = interpreter.Run(image).Span<long>()[0];
        }
        output.WriteLine($"classes {string.Join(" ", classes)}, shipped {string.Join(" ", expected)}");
        Assert.Equal(expected, classes);
    }

    [Theory]
    [MemberData(nameof(QuantModels))]
    public void QuantisedModelsMatchTheSpecificationRunByOnnxRuntime(string relativePath)
    {
        var model = OnnxImporter.Load(SharedData.Path("models", relativePath));
        var inputs = ModelInputs.For(model, relativePath);
        var ours = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        using var reference = new OnnxRuntimeReference(OnnxExporter.ToBytes(QonnxAsStandardOps.Rewrite(model)));
        foreach (var (name, expected) in reference.Run(inputs))
        {
            var actual = (Tensor)ours[name];
            double difference = TensorComparison.MaxAbsDifference(expected, actual);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{relativePath} '{name}' {expected.TensorType}: max |diff| = {difference:G3}"));
            Assert.Equal(0, difference);
        }
    }
}

using System.Globalization;
using Neurite.Frontend.Dsl;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>
/// Every hand-written program under samples/ parses and verifies without a single diagnostic,
/// runs in the interpreter, and exports to ONNX that ONNX Runtime runs to the same outputs.
/// </summary>
public sealed class SampleTests(ITestOutputHelper output)
{
    private static string Samples => Path.Combine(SharedData.RepositoryRoot, "samples");

    private static List<string> ProgramPaths() =>
        [.. Directory.GetFiles(Samples, "*.nrt", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Samples, p).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Programs() => [.. ProgramPaths()];

    [Fact]
    public void TheSamplesIncludeAnMlpLeNetAndAResidualNetwork() =>
        Assert.Superset(new HashSet<string> { "mlp/mlp.nrt", "lenet5/lenet5.nrt", "resnet/resnet.nrt" }, ProgramPaths().ToHashSet());

    [Theory]
    [MemberData(nameof(Programs))]
    public void SampleRunsAndOnnxRuntimeAgrees(string relativePath)
    {
        var result = DslReader.Import(Path.Combine(Samples, relativePath));
        Assert.Empty(result.Diagnostics);
        var model = result.Model!;
        var inputs = RandomInputs(model.Graph, seed: relativePath.Length);
        var (interpreted, reference) = DslTestPrograms.RunBoth(model, inputs);
        Assert.Equal(model.Graph.Outputs.Select(o => o.Name).Order(StringComparer.Ordinal).ToArray(), reference.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var (name, expected) in reference)
        {
            double difference = TensorComparison.MaxAbsDifference(expected, interpreted[name]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{relativePath} '{name}' {expected.Type}: max |interpreter - ONNX Runtime| = {difference:G3}"));
            Assert.Null(TensorComparison.Compare(expected, interpreted[name], rtol: 1e-4, atol: 1e-5));
        }
    }

    [Fact]
    public void BarsProgramComputesExactlyWhatBarsOnnxComputes()
    {
        var program = DslReader.Load(Path.Combine(Samples, "bars", "bars.nrt"));
        var onnx = OnnxImporter.Load(Path.Combine(Samples, "bars", "bars.onnx"));
        var images = Npy.Read(Path.Combine(Samples, "bars", "images.npy"));
        var fromProgram = new Interpreter(program).Run(images);
        using var reference = new OnnxRuntimeReference(Path.Combine(Samples, "bars", "bars.onnx"), optimize: false);
        var fromOnnx = reference.Run(new Dictionary<string, Tensor> { ["image"] = images })["probabilities"];
        Assert.Equal(fromOnnx.ToArray<float>(), fromProgram.ToArray<float>());
        Assert.Equal(onnx.Graph.Initializer("line_kernels")!.ToArray<float>(), program.Graph.Initializer("line_kernels")!.ToArray<float>());
        var labels = Npy.Read(Path.Combine(Samples, "bars", "labels.npy")).ToInt64Array();
        for (int n = 0; n < labels.Length; n++)
        {
            int predicted = fromProgram.GetDouble(2 * n + 1) > fromProgram.GetDouble(2 * n) ? 1 : 0;
            Assert.Equal(labels[n], predicted);
        }
    }

    /// <summary>Uniform values in [0, 1) for every input, symbolic dimensions set to 2.</summary>
    private static Dictionary<string, Tensor> RandomInputs(Graph graph, int seed)
    {
        var random = new Random(seed);
        var inputs = new Dictionary<string, Tensor>();
        foreach (var input in graph.Inputs)
        {
            var type = (TensorType)input.Type!;
            var shape = type.Shape.Dims.Select(d => d.IsKnown ? (int)d.Value : 2).ToArray();
            var values = new float[Tensor.ElementCountOf(shape)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)random.NextDouble();
            }
            inputs[input.Name] = Tensor.Create(values, shape);
        }
        return inputs;
    }
}

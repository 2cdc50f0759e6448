using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Backends.Tests.Cpu;

/// <summary>
/// On every data-set model, the emitted C classifies test images exactly as well as the reference
/// interpreter. The default run scores 500 images (5,000 to 5,499, which no zoo model trained
/// on); NEURITE_FULL_ACCURACY=1 scores the whole test set of 10,000.
/// </summary>
public sealed class CpuAccuracyTests(ITestOutputHelper output)
{
    private const int Batch = 100;

    public static TheoryData<string> Models() => [.. ModelCatalog.DataSetModels.Select(m => m.Path)];

    [Theory]
    [MemberData(nameof(Models))]
    public void AccuracyEqualsTheInterpreters(string relativePath)
    {
        bool full = Environment.GetEnvironmentVariable("NEURITE_FULL_ACCURACY") == "1";
        var entry = ModelCatalog.DataSetModels.Single(m => m.Path == relativePath);
        var data = DataSet.ByName(entry.DataSet);
        int start = full ? 0 : 5000, count = full ? data.Count : 500;
        var model = OnnxImporter.Load(entry.FullPath);
        var input = model.Graph.Inputs.Single();
        var shape = ((TensorType)input.Type!).Shape;
        int batch = shape[0].IsKnown ? (int)shape[0].Value : Batch;
        var dims = shape.Dims.Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();

        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(relativePath, folder.File("artifact"), batch);
        using var simulator = CpuCompilation.Target.Load(artifact);
        var interpreter = new Interpreter(model);
        string outputName = model.Graph.Outputs[0].Name;
        int nativeCorrect = 0, referenceCorrect = 0, disagreements = 0;
        for (int first = start; first < start + count; first += batch)
        {
            var images = Preprocessing.Batch(entry, data, first, batch, dims);
            var native = simulator.Run(new Dictionary<string, Tensor> { [input.Name] = images })[outputName];
            var reference = (Tensor)interpreter.Run((input.Name, (IValue)images))[outputName];
            for (int n = 0; n < batch; n++)
            {
                int a = ArgMax(native, n), b = ArgMax(reference, n);
                nativeCorrect += a == data.Labels[first + n] ? 1 : 0;
                referenceCorrect += b == data.Labels[first + n] ? 1 : 0;
                disagreements += a == b ? 0 : 1;
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{relativePath}: emitted C {nativeCorrect}/{count}, interpreter {referenceCorrect}/{count} on {data.Name} images {start}..{start + count - 1}; {disagreements} predictions differ"));
        Assert.Equal(referenceCorrect, nativeCorrect);
    }

    private static int ArgMax(Tensor scores, int row)
    {
        var values = scores.Span<float>();
        int classes = scores.Dim(-1);
        int best = 0;
        for (int c = 1; c < classes; c++)
        {
            if (values[row * classes + c] > values[row * classes + best])
            {
                best = c;
            }
        }
        return best;
    }
}

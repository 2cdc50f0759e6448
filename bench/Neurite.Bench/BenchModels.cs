using Neurite.Backends;
using Neurite.Backends.Cpu;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;

namespace Neurite.Bench;

/// <summary>A benchmark model at a batch size: its inputs, ONNX Runtime on it, and its CPU-target artifact compiled natively.</summary>
public sealed class BenchCase : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public BenchCase(string relativePath, int batch)
    {
        string path = SharedData.Path("models", relativePath);
        var model = WithSymbolicBatch(OnnxImporter.Load(path));
        var input = model.Graph.Inputs.Single();
        var shape = ((TensorType)input.Type!).Shape.Dims.Select(d => d.IsKnown ? (int)d.Value : batch).ToArray();
        var entry = ModelCatalog.DataSetModels.FirstOrDefault(m => m.Path == relativePath);
        Inputs = new()
        {
            [input.Name] = entry is not null
                ? Preprocessing.Batch(entry, DataSet.ByName(entry.DataSet), 0, batch, shape)
                : Tensor.Create(Enumerable.Range(0, Tensor.ElementCountOf(shape)).Select(i => (float)Math.Sin(i)).ToArray(), shape),
        };
        OnnxRuntime = new OnnxRuntimeReference(OnnxExporter.ToBytes(model));
        var target = new CpuTarget();
        var options = TargetOptions.Default.WithDimension("N", batch);
        var artifact = target.Emit(model, options, new ArtifactProvenance(relativePath, ContentHash.OfFile(path), []), new DirectoryInfo(folder.File("artifact")));
        Native = (NativeSimulator)target.Load(artifact);
        NativeInputs = [.. Native.Inputs.Select(i => Inputs[i.Name].ToArray<float>())];
        NativeOutputs = [.. Native.Outputs.Select(o => new float[o.ElementCount])];
        Interpreter = new Interpreter(model);
    }

    public Dictionary<string, Tensor> Inputs { get; private set; }

    public OnnxRuntimeReference OnnxRuntime { get; }

    public NativeSimulator Native { get; }

    public Interpreter Interpreter { get; }

    /// <summary>Pinned-once buffers for timing neurite_run itself.</summary>
    public float[][] NativeInputs { get; private set; }

    /// <summary>
    /// Replaces every zero input value by the smallest nonzero pixel value, 1/255: the worst case
    /// for the batch-1 dense layers, which read only the weight rows of nonzero inputs.
    /// </summary>
    public void MakeInputsNonzero()
    {
        Inputs = Inputs.ToDictionary(p => p.Key, p => Tensor.Create(p.Value.ToArray<float>().Select(v => v == 0f ? 1f / 255f : v).ToArray(), p.Value.ShapeArray()));
        NativeInputs = [.. Native.Inputs.Select(i => Inputs[i.Name].ToArray<float>())];
    }

    public float[][] NativeOutputs { get; }

    /// <summary>
    /// The model with batch dimension "N" on every input and output, so ONNX Runtime runs it at any
    /// batch (the hls4ml Keras jet tagger is exported with batch 1).
    /// </summary>
    private static Model WithSymbolicBatch(Model model)
    {
        ValueInfo Batched(ValueInfo v) => v.Type is TensorType { Shape.IsRankKnown: true } t && t.Shape.Rank > 0
            ? v with { Type = t.WithShape(new Shape(t.Shape.Dims.Select((d, i) => i == 0 ? Dim.Symbolic("N") : d))) }
            : v;
        return model.WithGraph(model.Graph.With(inputs: model.Graph.Inputs.Select(Batched), outputs: model.Graph.Outputs.Select(Batched), valueInfo: []));
    }

    public void Dispose()
    {
        OnnxRuntime.Dispose();
        Native.Dispose();
        folder.Dispose();
    }
}

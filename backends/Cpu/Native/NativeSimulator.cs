using System.Runtime.InteropServices;
using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// The CPU target's simulator: the artifact's own <c>model.c</c>, compiled to a shared library and
/// called through <c>neurite_run</c>. Inputs are checked against the manifest's names and shapes
/// first. Calls are serialised because the emitted model keeps its tensors in one static arena.
/// </summary>
public sealed unsafe class NativeSimulator : ISimulator
{
    /// <summary>One lock for every loaded model: two simulators of one artifact share the library and its arena.</summary>
    private static readonly Lock Calls = new();

    private readonly IntPtr handle;
    private readonly delegate* unmanaged<float**, float**, int> run;
    private bool disposed;

    public NativeSimulator(string library, ArtifactManifest manifest)
    {
        Inputs = manifest.Inputs;
        Outputs = manifest.Outputs;
        handle = NativeLibrary.Load(library);
        run = (delegate* unmanaged<float**, float**, int>)NativeLibrary.GetExport(handle, "neurite_run");
        LibraryPath = library;
    }

    public IReadOnlyList<ManifestTensor> Inputs { get; }

    public IReadOnlyList<ManifestTensor> Outputs { get; }

    /// <summary>The compiled library this simulator calls.</summary>
    public string LibraryPath { get; }

    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var problems = new List<Diagnostic>();
        var arrays = new float[Inputs.Count][];
        for (int i = 0; i < Inputs.Count; i++)
        {
            var expected = Inputs[i];
            if (!inputs.TryGetValue(expected.Name, out var tensor))
            {
                problems.Add(Diagnostic.Error("input.missing", $"input '{expected.Name}' ({expected.TypeText}) was not given"));
                continue;
            }
            if (tensor.DataType != DataType.Float32 || !tensor.Shape.SequenceEqual(expected.Shape.AsSpan()))
            {
                problems.Add(Diagnostic.Error("input.shape",
                    $"input '{expected.Name}' is {tensor.Type}, but the artifact was compiled for {expected.TypeText} (compile again with --dim to change a symbolic size)"));
                continue;
            }
            // The tensor's own array when it has one: the C only reads its inputs.
            arrays[i] = tensor.AsArray<float>();
        }
        foreach (var name in inputs.Keys.Where(n => Inputs.All(i => i.Name != n)))
        {
            problems.Add(Diagnostic.Error("input.unknown", $"'{name}' is not an input of the artifact; its inputs are {string.Join(", ", Inputs.Select(i => $"'{i.Name}'"))}"));
        }
        NeuriteException.ThrowIfErrors(problems);
        var results = Outputs.Select(o => new float[Math.Max(o.ElementCount, 1)]).ToArray();
        var inputHandles = arrays.Select(a => GCHandle.Alloc(a, GCHandleType.Pinned)).ToArray();
        var outputHandles = results.Select(a => GCHandle.Alloc(a, GCHandleType.Pinned)).ToArray();
        try
        {
            var inputPointers = stackalloc float*[Math.Max(arrays.Length, 1)];
            var outputPointers = stackalloc float*[Math.Max(results.Length, 1)];
            for (int i = 0; i < arrays.Length; i++)
            {
                inputPointers[i] = (float*)inputHandles[i].AddrOfPinnedObject();
            }
            for (int i = 0; i < results.Length; i++)
            {
                outputPointers[i] = (float*)outputHandles[i].AddrOfPinnedObject();
            }
            int status;
            lock (Calls)
            {
                status = run(inputPointers, outputPointers);
            }
            if (status != 0)
            {
                throw new NeuriteException("cpu.run", $"neurite_run returned {status}");
            }
        }
        finally
        {
            foreach (var h in inputHandles.Concat(outputHandles))
            {
                h.Free();
            }
        }
        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < Outputs.Count; i++)
        {
            var values = results[i].Length == Outputs[i].ElementCount ? results[i] : [];
            outputs[Outputs[i].Name] = Tensor.Create(values, [.. Outputs[i].Shape]);
        }
        return outputs;
    }

    /// <summary>
    /// Calls <c>neurite_run</c> <paramref name="repetitions"/> times on pinned buffers, for timing
    /// without the per-call copies of <see cref="Run"/>.
    /// </summary>
    public void RunRepeatedly(float[][] inputs, float[][] outputs, int repetitions)
    {
        var handles = inputs.Concat(outputs).Select(a => GCHandle.Alloc(a, GCHandleType.Pinned)).ToArray();
        try
        {
            var inputPointers = stackalloc float*[Math.Max(inputs.Length, 1)];
            var outputPointers = stackalloc float*[Math.Max(outputs.Length, 1)];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputPointers[i] = (float*)handles[i].AddrOfPinnedObject();
            }
            for (int i = 0; i < outputs.Length; i++)
            {
                outputPointers[i] = (float*)handles[inputs.Length + i].AddrOfPinnedObject();
            }
            lock (Calls)
            {
                for (int r = 0; r < repetitions; r++)
                {
                    run(inputPointers, outputPointers);
                }
            }
        }
        finally
        {
            foreach (var h in handles)
            {
                h.Free();
            }
        }
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            NativeLibrary.Free(handle);
        }
    }
}

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
        // Plain loops and few allocations: a batch-1 model runs in microseconds, and garbage made
        // per call also competes with the model's weights for the cache.
        List<Diagnostic>? problems = null;
        var arrays = new float[Inputs.Count][];
        int given = 0;
        for (int i = 0; i < Inputs.Count; i++)
        {
            var expected = Inputs[i];
            if (!inputs.TryGetValue(expected.Name, out var tensor))
            {
                (problems ??= []).Add(Diagnostic.Error("input.missing", $"input '{expected.Name}' ({expected.TypeText}) was not given"));
                continue;
            }
            given++;
            if (tensor.DataType != DataType.Float32 || !tensor.Shape.SequenceEqual(expected.Shape.AsSpan()))
            {
                (problems ??= []).Add(Diagnostic.Error("input.shape",
                    $"input '{expected.Name}' is {tensor.Type}, but the artifact was compiled for {expected.TypeText} (compile again with --dim to change a symbolic size)"));
                continue;
            }
            // The tensor's own array when it has one: the C only reads its inputs.
            arrays[i] = tensor.AsArray<float>();
        }
        if (given < inputs.Count)
        {
            foreach (var name in inputs.Keys.Where(n => Inputs.All(i => i.Name != n)))
            {
                (problems ??= []).Add(Diagnostic.Error("input.unknown", $"'{name}' is not an input of the artifact; its inputs are {string.Join(", ", Inputs.Select(i => $"'{i.Name}'"))}"));
            }
        }
        if (problems is not null)
        {
            NeuriteException.ThrowIfErrors(problems);
        }
        var results = new float[Outputs.Count][];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = new float[Math.Max(Outputs[i].ElementCount, 1)];
        }
        Call(arrays, results);
        var outputs = new Dictionary<string, Tensor>(Outputs.Count, StringComparer.Ordinal);
        for (int i = 0; i < Outputs.Count; i++)
        {
            var values = results[i].Length == Outputs[i].ElementCount ? results[i] : [];
            outputs[Outputs[i].Name] = Tensor.Create(values, [.. Outputs[i].Shape]);
        }
        return outputs;
    }

    /// <summary>One call of <c>neurite_run</c> on the arrays, pinned for its duration.</summary>
    private void Call(float[][] inputs, float[][] outputs)
    {
        int count = inputs.Length + outputs.Length;
        Span<GCHandle> handles = count <= 8 ? stackalloc GCHandle[8] : new GCHandle[count];
        var inputPointers = stackalloc float*[Math.Max(inputs.Length, 1)];
        var outputPointers = stackalloc float*[Math.Max(outputs.Length, 1)];
        try
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                handles[i] = GCHandle.Alloc(inputs[i], GCHandleType.Pinned);
                inputPointers[i] = (float*)handles[i].AddrOfPinnedObject();
            }
            for (int i = 0; i < outputs.Length; i++)
            {
                handles[inputs.Length + i] = GCHandle.Alloc(outputs[i], GCHandleType.Pinned);
                outputPointers[i] = (float*)handles[inputs.Length + i].AddrOfPinnedObject();
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
            for (int i = 0; i < count; i++)
            {
                if (handles[i].IsAllocated)
                {
                    handles[i].Free();
                }
            }
        }
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

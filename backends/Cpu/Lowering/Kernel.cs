using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// One C function of the emitted model: reads runtime tensors (<c>x0</c>, <c>x1</c>, ...), writes
/// one (<c>y</c>) and may use a scratch buffer (<c>s</c>) the memory planner places in the arena.
/// Shapes are compile-time constants, so every loop bound is a literal the C compiler can see.
/// </summary>
public abstract class Kernel(Node node, IReadOnlyList<string> inputs, string output)
{
    /// <summary>The node the kernel implements (the first, when it fuses several).</summary>
    public Node Node { get; } = node;

    /// <summary>Nodes folded into this kernel after <see cref="Node"/> (bias adds, batch norms, activations).</summary>
    public List<Node> Fused { get; } = [];

    public IReadOnlyList<string> Inputs { get; } = inputs;

    public string Output { get; set; } = output;

    /// <summary>A short word for the function name ("conv", "gemm", "pool").</summary>
    public abstract string Kind { get; }

    public virtual long ScratchFloats => 0;

    /// <summary>Bytes of scratch; a kernel whose scratch is not float overrides this and <see cref="ScratchType"/>.</summary>
    public virtual long ScratchBytes => ScratchFloats * sizeof(float);

    public virtual CScalar ScratchType => CScalar.Float;

    /// <summary>Multiply-accumulates per run, for the manifest's metrics.</summary>
    public virtual long Macs => 0;

    /// <summary>Writes the function body; weights it needs go into <paramref name="weights"/>.</summary>
    public abstract void EmitBody(CSource c, WeightTable weights);

    public string Describe() => string.Join(" + ", new[] { Node }.Concat(Fused).Select(n => $"{n.OpType} '{n.Name}'"));
}

/// <summary>A constant array of the emitted model: its C element type and values (a float[], sbyte[], short[] or int[]).</summary>
public sealed record WeightArray(string Name, CScalar Type, Array Values);

/// <summary>Constant arrays of the emitted model, named by the kernel that owns them.</summary>
public sealed class WeightTable
{
    private readonly List<WeightArray> arrays = [];
    private long paddingBytes;

    public string Prefix { get; set; } = "w";

    public IReadOnlyList<WeightArray> Arrays => arrays;

    /// <summary>Bytes of the model's constants (an int8 weight is one byte), without the zero padding added for whole vectors.</summary>
    public long Bytes => EmittedBytes - paddingBytes;

    /// <summary>Bytes of every emitted constant array, padding included.</summary>
    public long EmittedBytes => arrays.Sum(a => (long)a.Values.Length * a.Type.Size);

    /// <param name="padding">How many of the values are zero padding rather than model constants.</param>
    public string Add(string role, float[] values, int padding = 0) => Add(role, CScalar.Float, values, padding);

    public string Add(string role, sbyte[] values, int padding = 0) => Add(role, CScalar.Int8, values, padding);

    public string Add(string role, byte[] values, int padding = 0) => Add(role, CScalar.UInt8, values, padding);

    public string Add(string role, short[] values, int padding = 0) => Add(role, CScalar.Int16, values, padding);

    public string Add(string role, int[] values, int padding = 0) => Add(role, CScalar.Int32, values, padding);

    private string Add(string role, CScalar type, Array values, int padding)
    {
        paddingBytes += (long)padding * type.Size;
        string name = $"{Prefix}_{role}";
        if (arrays.Any(a => a.Name == name))
        {
            throw new InvalidOperationException($"weight '{name}' defined twice");
        }
        arrays.Add(new WeightArray(name, type, values));
        return name;
    }
}

using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// A tensor in the (batch, heads, sequence, head size) layout the attention ops compute in, in
/// their compute type <typeparamref name="T"/>: float64 for float64 inputs, float32 for the rest
/// (half types widen). 3-D inputs (batch, sequence, heads * head size) are split into heads on
/// the way in and merged back on the way out; every head is one contiguous (sequence × size) matrix.
/// </summary>
internal sealed class AttentionHeads<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public AttentionHeads(T[] data, int batch, int heads, int sequence, int size)
    {
        Data = data;
        Batch = batch;
        Heads = heads;
        Sequence = sequence;
        Size = size;
    }

    /// <summary>The element type <typeparamref name="T"/> stands for.</summary>
    public static ElementType ComputeType { get; } = typeof(T) == typeof(double) ? ElementType.Float64 : ElementType.Float32;

    public T[] Data { get; }
    public int Batch { get; }
    public int Heads { get; }
    public int Sequence { get; }
    public int Size { get; }

    public int HeadLength => Sequence * Size;

    public Span<T> Head(int b, int h) => Data.AsSpan((b * Heads + h) * HeadLength, HeadLength);

    /// <summary>A 4-D tensor as it is, or a 3-D one split into <paramref name="heads"/> heads (which a 3-D input requires).</summary>
    public static AttentionHeads<T> From(Tensor x, long? heads, string name)
    {
        var values = Values(x);
        if (x.Rank == 4)
        {
            return new AttentionHeads<T>(values, x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3));
        }
        if (x.Rank != 3)
        {
            throw new InvalidNodeException($"{name} must be 3-D (batch, sequence, hidden) or 4-D (batch, heads, sequence, head size), got rank {x.Rank}");
        }
        if (heads is not long h || h <= 0)
        {
            throw new InvalidNodeException($"a 3-D {name} needs a positive head count attribute");
        }
        int hidden = x.Dim(2);
        if (hidden % h != 0)
        {
            throw new InvalidNodeException($"{name}'s hidden size {hidden} is not divisible by {h} heads");
        }
        return Split(values, x.Dim(0), x.Dim(1), (int)h, hidden / (int)h);
    }

    /// <summary>(batch, sequence, heads * size) to (batch, heads, sequence, size).</summary>
    public static AttentionHeads<T> Split(ReadOnlySpan<T> values, int batch, int sequence, int heads, int size)
    {
        var result = new T[values.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int s = 0; s < sequence; s++)
            {
                for (int h = 0; h < heads; h++)
                {
                    values.Slice(((b * sequence + s) * heads + h) * size, size)
                        .CopyTo(result.AsSpan(((b * heads + h) * sequence + s) * size, size));
                }
            }
        }
        return new AttentionHeads<T>(result, batch, heads, sequence, size);
    }

    /// <summary>(batch, heads, sequence, size) to (batch, sequence, heads * size).</summary>
    public T[] Merge()
    {
        var result = new T[Data.Length];
        for (int b = 0; b < Batch; b++)
        {
            for (int h = 0; h < Heads; h++)
            {
                for (int s = 0; s < Sequence; s++)
                {
                    Data.AsSpan(((b * Heads + h) * Sequence + s) * Size, Size)
                        .CopyTo(result.AsSpan(((b * Sequence + s) * Heads + h) * Size, Size));
                }
            }
        }
        return result;
    }

    /// <summary>This cache followed by <paramref name="next"/> along the sequence axis (past and new keys or values).</summary>
    public AttentionHeads<T> Append(AttentionHeads<T> next, string what)
    {
        if (next.Batch != Batch || next.Heads != Heads || next.Size != Size)
        {
            throw new InvalidNodeException(
                $"past {what} has shape [{Batch}, {Heads}, {Sequence}, {Size}], which does not extend [{next.Batch}, {next.Heads}, {next.Sequence}, {next.Size}]");
        }
        int total = Sequence + next.Sequence;
        var result = new AttentionHeads<T>(new T[Batch * Heads * total * Size], Batch, Heads, total, Size);
        for (int b = 0; b < Batch; b++)
        {
            for (int h = 0; h < Heads; h++)
            {
                var target = result.Head(b, h);
                Head(b, h).CopyTo(target);
                next.Head(b, h).CopyTo(target[HeadLength..]);
            }
        }
        return result;
    }

    /// <summary>Back to a tensor of <paramref name="type"/>: 4-D, or merged to 3-D when <paramref name="merged"/>.</summary>
    public Tensor ToTensor(ElementType type, bool merged)
    {
        var tensor = merged
            ? Tensor.Create(ComputeType, Merge(), [Batch, Sequence, Heads * Size])
            : Tensor.Create(ComputeType, Data, [Batch, Heads, Sequence, Size]);
        return TensorConvert.Convert(tensor, type);
    }

    /// <summary>The elements of <paramref name="x"/> in the compute type.</summary>
    public static T[] Values(Tensor x) => TensorConvert.Convert(x, ComputeType).ToArray<T>();
}

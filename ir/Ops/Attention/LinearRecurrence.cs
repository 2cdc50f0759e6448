using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Ops;

/// <summary>The time loop of <see cref="LinearAttention"/>: each step updates every state, then every query head reads its group's state.</summary>
internal sealed class LinearRecurrence<T>(AttentionHeads<T> q, AttentionHeads<T> k, AttentionHeads<T> v, int group)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public AttentionHeads<T>? Decay { get; init; }
    public AttentionHeads<T>? Beta { get; init; }
    public AttentionHeads<T>? Erase { get; init; }
    public T Scale { get; init; }

    /// <summary>Runs every step over <paramref name="state"/> (B, H_kv, d_k, d_v), updated in place; returns the (B, H_q, T, d_v) outputs.</summary>
    public AttentionHeads<T> Run(T[] state)
    {
        int dk = k.Size, dv = v.Size, steps = q.Sequence;
        var output = new AttentionHeads<T>(new T[q.Batch * q.Heads * steps * dv], q.Batch, q.Heads, steps, dv);
        var update = new T[dv];
        var erased = new T[dk];
        for (int b = 0; b < q.Batch; b++)
        {
            for (int kvHead = 0; kvHead < k.Heads; kvHead++)
            {
                var s = state.AsSpan((b * k.Heads + kvHead) * dk * dv, dk * dv);
                for (int t = 0; t < steps; t++)
                {
                    var key = k.Head(b, kvHead).Slice(t * dk, dk);
                    v.Head(b, kvHead).Slice(t * dv, dv).CopyTo(update);
                    if (Decay is not null)
                    {
                        ApplyDecay(s, Row(Decay, b, kvHead, t), dk, dv);
                    }
                    if (Beta is not null)
                    {
                        // update = β (v - Sᵀ k'), k' the key (times the erase gate when given).
                        ReadOnlySpan<T> read = key;
                        if (Erase is not null)
                        {
                            TensorPrimitives.Multiply(key, Row(Erase, b, kvHead, t), erased);
                            read = erased;
                        }
                        for (int d = 0; d < dk; d++)
                        {
                            TensorPrimitives.MultiplyAdd(s.Slice(d * dv, dv), -read[d], update, update);
                        }
                        TensorPrimitives.Multiply(update, Row(Beta, b, kvHead, t)[0], update);
                    }
                    for (int d = 0; d < dk; d++)
                    {
                        var stateRow = s.Slice(d * dv, dv);
                        TensorPrimitives.MultiplyAdd(update, key[d], stateRow, stateRow);
                    }
                    for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                    {
                        Read(q.Head(b, h).Slice(t * dk, dk), s, output.Head(b, h).Slice(t * dv, dv), dv);
                    }
                }
            }
        }
        return output;
    }

    /// <summary>The gate values of one (batch, head, step); a gate shared by all heads has one head.</summary>
    private static ReadOnlySpan<T> Row(AttentionHeads<T> gate, int b, int h, int t) =>
        gate.Head(b, gate.Heads == 1 ? 0 : h).Slice(t * gate.Size, gate.Size);

    /// <summary>S ← exp(g) · S, with g one value per head or one per key feature (row of S).</summary>
    private static void ApplyDecay(Span<T> s, ReadOnlySpan<T> g, int dk, int dv)
    {
        for (int d = 0; d < dk; d++)
        {
            var row = s.Slice(d * dv, dv);
            TensorPrimitives.Multiply(row, T.Exp(g[g.Length == 1 ? 0 : d]), row);
        }
    }

    /// <summary>o = scale · qᵀ S.</summary>
    private void Read(ReadOnlySpan<T> query, ReadOnlySpan<T> s, Span<T> o, int dv)
    {
        o.Clear();
        for (int d = 0; d < query.Length; d++)
        {
            TensorPrimitives.MultiplyAdd(s.Slice(d * dv, dv), query[d], o, o);
        }
        TensorPrimitives.Multiply(o, Scale, o);
    }
}

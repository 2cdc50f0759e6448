using System.Numerics;

namespace Neurite.Ir.Ops;

/// <summary>
/// The additive bias of Attention's scores for one (batch, head): the attention mask (float
/// values added, or bool where false means -inf), broadcast numpy-style to (batch, heads,
/// q_sequence, total_sequence) and padded with -inf when its last dimension is shorter than the
/// keys; then the causal mask (key j is hidden from query i when j &gt; i + offset, the offset being
/// the past length, or nonpad_kv_seqlen[b] - q_sequence for an external cache); then the padding
/// mask (keys at or after nonpad_kv_seqlen[b] are hidden).
/// </summary>
internal sealed class AttentionBias<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? mask;
    private readonly int[] maskStrides = new int[4];
    private readonly int maskLength;
    private readonly bool causal;
    private readonly int? pastLength;
    private readonly long[]? validLengths;
    private readonly int querySequence;
    private readonly int totalSequence;

    public AttentionBias(Tensor? attentionMask, bool causal, int? pastLength, Tensor? nonPaddedLengths, int batch, int heads, int querySequence, int totalSequence)
    {
        this.causal = causal;
        this.pastLength = pastLength;
        this.querySequence = querySequence;
        this.totalSequence = totalSequence;
        validLengths = nonPaddedLengths?.ToInt64Array();
        if (validLengths is not null && validLengths.Length != batch)
        {
            throw new InvalidNodeException($"nonpad_kv_seqlen has {validLengths.Length} entries, one per batch ({batch}) is needed");
        }
        if (attentionMask is null)
        {
            return;
        }
        mask = MaskValues(attentionMask);
        maskLength = attentionMask.Dim(-1);
        if (attentionMask.Rank is < 2 or > 4 || maskLength > totalSequence)
        {
            throw new InvalidNodeException(
                $"attn_mask of shape [{string.Join(", ", attentionMask.ShapeArray())}] does not broadcast to [{batch}, {heads}, {querySequence}, {totalSequence}]");
        }
        int[] target = [batch, heads, querySequence];
        int stride = maskLength;
        for (int d = 2; d >= 0; d--)
        {
            int maskAxis = attentionMask.Rank - 4 + d;
            int size = maskAxis >= 0 ? attentionMask.Dim(maskAxis) : 1;
            if (size != 1 && size != target[d])
            {
                throw new InvalidNodeException(
                    $"attn_mask of shape [{string.Join(", ", attentionMask.ShapeArray())}] does not broadcast to [{batch}, {heads}, {querySequence}, {totalSequence}]");
            }
            maskStrides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }

    public bool IsEmpty => mask is null && !causal && validLengths is null;

    /// <summary>The (q_sequence × total_sequence) bias of batch <paramref name="b"/>, head <paramref name="h"/>.</summary>
    public void Fill(int b, int h, Span<T> bias)
    {
        for (int i = 0; i < querySequence; i++)
        {
            var row = bias.Slice(i * totalSequence, totalSequence);
            if (mask is null)
            {
                row.Clear();
            }
            else
            {
                mask.AsSpan(b * maskStrides[0] + h * maskStrides[1] + i * maskStrides[2], maskLength).CopyTo(row);
                row[maskLength..].Fill(T.NegativeInfinity);
            }
            if (causal)
            {
                long offset = pastLength ?? (validLengths is not null ? validLengths[b] - querySequence : 0);
                Hide(row, i + offset + 1);
            }
            if (validLengths is not null)
            {
                Hide(row, validLengths[b]);
            }
        }
    }

    /// <summary>Adds -inf from key <paramref name="from"/> on (adding keeps a NaN in a float mask a NaN, as the reference does).</summary>
    private static void Hide(Span<T> row, long from)
    {
        for (long j = Math.Max(from, 0); j < row.Length; j++)
        {
            row[(int)j] += T.NegativeInfinity;
        }
    }

    private static T[] MaskValues(Tensor attentionMask)
    {
        if (attentionMask.DataType != DataType.Bool)
        {
            return AttentionHeads<T>.Values(attentionMask);
        }
        var allowed = attentionMask.Span<bool>();
        var values = new T[allowed.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = allowed[i] ? T.Zero : T.NegativeInfinity;
        }
        return values;
    }
}

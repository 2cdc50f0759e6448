using System.Numerics;

namespace Neurite.Ir.Kernels.Nn;

/// <summary>
/// numpy matmul: stacks of matrices with broadcast batch dimensions; a 1-D left operand is a
/// row vector and a 1-D right operand a column vector, their unit dimension dropped from the
/// result. When the right operand is a single matrix (the weight of a linear layer), all
/// batches of the left operand form one tall product against it.
/// </summary>
public sealed class BatchedMatMul
{
    private BatchedMatMul(int[] batchA, int[] batchB, int m, int k, int n, int[] outputShape)
    {
        BatchA = batchA;
        BatchB = batchB;
        M = m;
        K = k;
        N = n;
        OutputShape = outputShape;
        Batch = Broadcasting.Shape(batchA.AsSpan(), batchB.AsSpan());
    }

    public int[] BatchA { get; }
    public int[] BatchB { get; }
    public int[] Batch { get; }
    public int M { get; }
    public int K { get; }
    public int N { get; }
    public int[] OutputShape { get; }

    /// <summary>True when B is one matrix shared by every batch (rank ≤ 2, or unit batch dimensions).</summary>
    public bool SingleB => BatchB.All(d => d == 1) && Batch.SequenceEqual(BroadcastA);

    private int[] BroadcastA => [.. Enumerable.Repeat(1, Batch.Length - BatchA.Length), .. BatchA];

    public static BatchedMatMul Plan(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            throw new InvalidNodeException("MatMul operands must have rank 1 or more, got a scalar");
        }
        int m = a.Length == 1 ? 1 : a[^2];
        int k = a[^1];
        int kb = b.Length == 1 ? b[0] : b[^2];
        int n = b.Length == 1 ? 1 : b[^1];
        if (k != kb)
        {
            throw new InvalidNodeException(
                $"MatMul operands do not chain: [{string.Join(", ", a.ToArray())}] has {k} columns, [{string.Join(", ", b.ToArray())}] has {kb} rows");
        }
        var batchA = a.Length > 2 ? a[..^2].ToArray() : [];
        var batchB = b.Length > 2 ? b[..^2].ToArray() : [];
        var batch = Broadcasting.Shape(batchA.AsSpan(), batchB.AsSpan());
        var shape = new List<int>(batch);
        if (a.Length > 1)
        {
            shape.Add(m);
        }
        if (b.Length > 1)
        {
            shape.Add(n);
        }
        return new BatchedMatMul(batchA, batchB, m, k, n, [.. shape]);
    }

    /// <summary>float32 product; <paramref name="packedB"/> is B packed, when it is a single matrix kept by the caller (else null: B is read in place).</summary>
    public void Float32(ReadOnlySpan<float> a, ReadOnlySpan<float> b, PackedMatrix? packedB, Span<float> c)
    {
        if (SingleB)
        {
            int rows = checked(Tensor.ElementCountOf(BatchA) * M);
            if (packedB is null)
            {
                Sgemm.Multiply(a, K, b, N, K, N, c, N, rows);
            }
            else
            {
                Sgemm.Multiply(a, K, packedB, c, N, rows);
            }
            return;
        }
        var offsets = BatchOffsets();
        for (int i = 0; i < offsets.Length; i++)
        {
            Sgemm.Multiply(a.Slice(offsets[i].A * M * K, M * K), K, b.Slice(offsets[i].B * K * N, K * N), N, K, N, c.Slice(i * M * N, M * N), N, M);
        }
    }

    /// <summary>The product for other numeric types (float64, integers).</summary>
    public void Generic<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c) where T : unmanaged, INumber<T>
    {
        if (SingleB)
        {
            int rows = checked(Tensor.ElementCountOf(BatchA) * M);
            MatrixProduct.Multiply(a, K, b, N, c, N, rows, K, N);
            return;
        }
        var offsets = BatchOffsets();
        for (int i = 0; i < offsets.Length; i++)
        {
            MatrixProduct.Multiply(a.Slice(offsets[i].A * M * K, M * K), K, b.Slice(offsets[i].B * K * N, K * N), N, c.Slice(i * M * N, M * N), N, M, K, N);
        }
    }

    /// <summary>For each batch of the broadcast batch space, the index of its A and B matrices (also used by the integer products).</summary>
    public (int A, int B)[] BatchOffsets()
    {
        int count = Tensor.ElementCountOf(Batch);
        var stridesA = Broadcasting.Strides(BatchA, Batch);
        var stridesB = Broadcasting.Strides(BatchB, Batch);
        var offsets = new (int A, int B)[count];
        for (int i = 0; i < count; i++)
        {
            int rest = i, offsetA = 0, offsetB = 0;
            for (int d = Batch.Length - 1; d >= 0; d--)
            {
                int position = rest % Batch[d];
                rest /= Batch[d];
                offsetA += position * stridesA[d];
                offsetB += position * stridesB[d];
            }
            offsets[i] = (offsetA, offsetB);
        }
        return offsets;
    }
}

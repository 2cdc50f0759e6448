using System.Numerics.Tensors;
using Neurite.Ir.Kernels.Nn;

namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// numpy matmul over int32 operands on <see cref="IntegerGemm"/>, planned as MatMul plans its
/// products (<see cref="BatchedMatMul"/>). Shared by MatMulInteger and QLinearMatMul.
/// </summary>
public static class IntegerMatMul
{
    /// <summary>The int32 products, batch by batch, row-major (batch..., M, N).</summary>
    public static int[] Multiply(BatchedMatMul plan, int[] a, int[] b)
    {
        int sizeA = plan.M * plan.K, sizeB = plan.K * plan.N, sizeC = plan.M * plan.N;
        var result = new int[Tensor.ElementCountOf(plan.Batch) * sizeC];
        if (plan.SingleB)
        {
            // Every batch of A against the one B: a single tall product.
            int rows = Tensor.ElementCountOf(plan.BatchA) * plan.M;
            IntegerGemm.Multiply(a, plan.K, b, plan.N, result, plan.N, rows, plan.K, plan.N);
            return result;
        }
        var offsets = plan.BatchOffsets();
        for (int batch = 0; batch < offsets.Length; batch++)
        {
            IntegerGemm.Multiply(a.AsSpan(offsets[batch].A * sizeA, sizeA), plan.K, b.AsSpan(offsets[batch].B * sizeB, sizeB), plan.N,
                result.AsSpan(batch * sizeC, sizeC), plan.N, plan.M, plan.K, plan.N);
        }
        return result;
    }

    /// <summary>Subtracts a per-row zero point (one per row of each matrix, or one for all) from A in place.</summary>
    public static void SubtractRowZeroPoints(int[] a, int rows, int columns, int[] zeroPoints)
    {
        for (int start = 0, row = 0; start < a.Length; start += columns, row++)
        {
            int zeroPoint = zeroPoints[row % rows];
            if (zeroPoint != 0)
            {
                TensorPrimitives.Subtract(a.AsSpan(start, columns), zeroPoint, a.AsSpan(start, columns));
            }
        }
    }

    /// <summary>Subtracts a per-column zero point (one per column) from every row of B in place.</summary>
    public static void SubtractColumnZeroPoints(int[] b, int columns, int[] zeroPoints)
    {
        if (zeroPoints.All(z => z == 0))
        {
            return;
        }
        for (int start = 0; start < b.Length; start += columns)
        {
            TensorPrimitives.Subtract(b.AsSpan(start, columns), zeroPoints, b.AsSpan(start, columns));
        }
    }
}

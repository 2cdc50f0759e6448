using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// Gemm and MatMul as one blocked matrix product: Y[M,N] = A[M,K] · B[K,N] + bias, with B either
/// a weight (pre-transposed to [K,N] at compile time, Gemm's alpha folded in) or a runtime tensor.
/// A fused bias add and activations run in the store loop.
/// </summary>
public sealed class DenseKernel(Node node, IReadOnlyList<string> inputs, string output, int m, int n, int k, float[]? weights) : Kernel(node, inputs, output)
{
    public override string Kind => "dense";

    public int M { get; } = m;
    public int N { get; } = n;
    public int K { get; } = k;

    /// <summary>B as [K,N] when it is constant; null when B is the runtime input x1.</summary>
    public float[]? Weights { get; } = weights;

    /// <summary>A bias per output column; null for none.</summary>
    public float[]? Bias { get; set; }

    public List<ElementOp> Epilogue { get; } = [];

    public override long Macs => (long)M * N * K;

    public override void EmitBody(CSource c, WeightTable weights)
    {
        if (Weights is null)
        {
            string? runtimeBias = Bias is null ? null : weights.Add("bias", Bias);
            new MatrixProduct(M, N, K, "x0", K, "x1", N, "y", N, runtimeBias is null ? BiasKind.None : BiasKind.PerColumn, runtimeBias, Epilogue).Emit(c);
            return;
        }
        // Constant B is stored with its columns zero-padded to whole vectors, so the last panel vectorises too.
        int padded = MatrixProduct.Padded(N);
        var b = new float[K * padded];
        for (int k = 0; k < K; k++)
        {
            Array.Copy(Weights, k * N, b, k * padded, N);
        }
        string? bias = null;
        if (Bias is not null)
        {
            var paddedBias = new float[padded];
            Array.Copy(Bias, paddedBias, N);
            bias = weights.Add("bias", paddedBias, padded - N);
        }
        new MatrixProduct(M, N, K, "x0", K, weights.Add("weight", b, K * (padded - N)), padded, "y", N, bias is null ? BiasKind.None : BiasKind.PerColumn, bias, Epilogue, padded).Emit(c);
    }
}

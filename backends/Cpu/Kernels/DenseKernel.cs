using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// Gemm and MatMul as one blocked matrix product: Y[M,N] = A[M,K] · B[K,N] + bias, with B either
/// a weight (pre-transposed to [K,N] at compile time, Gemm's alpha folded in) or a runtime tensor.
/// A constant B is emitted packed in 16-column panels (<see cref="ProductOperand.Packed"/>), so
/// the product streams the weights front to back, which is what bounds a batch-1 dense layer.
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

    /// <summary>
    /// True when the bias is a separate Add after the product (MatMul then Add): the interpreter
    /// then adds it to the finished product, not as the starting value of the sum.
    /// </summary>
    public bool BiasAfterProduct { get; set; }

    public List<ElementOp> Epilogue { get; } = [];

    /// <summary>Weights (K·N) from which a batch-1 layer reads only the rows of its nonzero inputs: 32 KB.</summary>
    private const int SkippingWeights = 8192;

    /// <summary>
    /// A batch-1 layer over constant weights large enough that streaming them dominates leaves out
    /// the weight rows of zero inputs (<see cref="MatrixProduct.SkipZeroInputs"/>). Only with finite
    /// weights, where 0·w is exactly 0: an infinite or NaN weight must still turn a zero input into NaN.
    /// </summary>
    private bool SkipsZeroInputs => M == 1 && Weights is not null && (long)K * N >= SkippingWeights && Weights.All(float.IsFinite);

    public override long Macs => (long)M * N * K;

    public override void EmitBody(CSource c, WeightTable weights)
    {
        string? bias = Bias is null ? null : weights.Add("bias", Bias);
        ProductOperand b = Weights is null
            ? new ProductOperand.RowMajor("x1", N, Padded: false)
            : new ProductOperand.Packed(weights.Add("weight", ProductOperand.Packed.Pack(Weights, K, N), K * (MatrixProduct.Padded(N) - N)), K);
        new MatrixProduct(M, N, K, "x0", K, b, "y", N, bias is null ? BiasKind.None : BiasKind.PerColumn, bias, Epilogue, BiasAfterProduct,
            SkipZeroInputs: SkipsZeroInputs).Emit(c);
    }
}

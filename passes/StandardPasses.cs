namespace Neurite.Passes;

/// <summary>The standard optimisations and the order the pipelines run them in.</summary>
internal static class StandardPasses
{
    /// <summary>
    /// Constants and shape arithmetic first (later patterns see constant weights and targets), the
    /// quantisation scheme of QONNX, QDQ and QOperator models read into the types (once scales are
    /// constants; QONNX Quant first becomes QuantizeLinear/DequantizeLinear where that is exact),
    /// sharing, and one form per op (a tf2onnx Conv1D is a Conv before its bias Add is folded).
    /// Then the layer folds: MatMul+Add into Gemm and bias Adds into their layer, so that a
    /// BatchNormalization after them sits right on a layer; BatchNormalization; Add/Mul again for
    /// what followed it. One form per op again for what the folds made (a new Gemm; auto_pad
    /// resolved before Pad folding needs it). Fusion last: it hides Conv and Gemm from every fold.
    /// </summary>
    private static readonly string[] OnnxSteps =
    [
        "fold-constants", "lower-qonnx-quant", "annotate-quantized-types", "remove-identities", "eliminate-common-subexpressions", "canonicalize",
        "matmul-add-to-gemm", "fold-add-mul", "fold-batchnorm", "fold-add-mul", "remove-identities",
        "canonicalize", "fold-pad-into-conv", "fold-constants",
        "eliminate-dead-code", "infer-shapes",
    ];

    public static PassRegistry Register(PassRegistry registry)
    {
        registry = registry
            .With(() => new InferShapes())
            .With(() => new EliminateDeadCode())
            .With(() => new FoldConstants())
            .With(() => new RemoveIdentities())
            .With(() => new EliminateCommonSubexpressions())
            .With(() => new Canonicalize())
            .With(() => new FoldBatchNormalization())
            .With(() => new MatMulAddToGemm())
            .With(() => new FoldAffineIntoLayers())
            .With(() => new FoldPadIntoConv())
            .With(() => new FuseActivations())
            .With(() => new Quantize.AnnotateQuantizedTypes())
            .With(() => new Quantize.LowerQonnxQuant());
        string[] defaultSteps = [.. OnnxSteps[..^2], "fuse-activations", .. OnnxSteps[^2..]];
        return registry
            .WithPipeline("onnx", OnnxSteps)
            .WithPipeline("default", defaultSteps);
    }
}

namespace Neurite.Passes;

/// <summary>The standard optimisations and the order the pipelines run them in.</summary>
internal static class StandardPasses
{
    /// <summary>
    /// Constants and shape arithmetic first (later patterns see constant weights and targets) and
    /// sharing, then the layer folds (BatchNormalization before Add/Mul, so a BN's scale and shift
    /// land in the layer), then one form per op (auto_pad resolved before Pad folding needs it),
    /// then fusion last: it hides Conv and Gemm from every fold above.
    /// </summary>
    private static readonly string[] OnnxSteps =
    [
        "fold-constants", "remove-identities", "eliminate-common-subexpressions",
        "fold-batchnorm", "matmul-add-to-gemm", "fold-add-mul", "remove-identities", "canonicalize", "fold-pad-into-conv", "fold-constants",
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
            .With(() => new FuseActivations());
        string[] defaultSteps = [.. OnnxSteps[..^2], "fuse-activations", .. OnnxSteps[^2..]];
        return registry
            .WithPipeline("onnx", OnnxSteps)
            .WithPipeline("default", defaultSteps);
    }
}

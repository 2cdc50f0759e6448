using Neurite.Ir;
using static Neurite.Passes.RewriteHelpers;

namespace Neurite.Passes;

/// <summary>
/// Folds an inference-mode BatchNormalization into the Conv, Gemm or MatMul before it, when that
/// layer's weights are constant and nothing else reads its output:
/// <code>
///   s  = scale / sqrt(var + epsilon)
///   W' = W · s  (per output channel: axis 0 of a Conv weight, the output column of a Gemm/MatMul weight)
///   b' = (b - mean) · s + B
/// </code>
/// A MatMul becomes a Gemm with the folded bias (only for a matrix input, where the channel axis
/// of BatchNormalization is the MatMul's output column). Float32 weights only.
/// </summary>
public sealed class FoldBatchNormalization : RewritePass
{
    public override string Name => "fold-batchnorm";
    public override string Description => "fold inference BatchNormalization into the preceding Conv, Gemm or MatMul";

    public override IReadOnlyList<RewriteRule> Rules { get; } = [new IntoConv(), new IntoGemm(), new IntoMatMul(), new IntoGemmThroughUnsqueeze()];

    private static OpPattern BatchNorm(OpPattern producer) => Pattern.Op("BatchNormalization",
            producer.SingleUse().As("layer"), Pattern.Constant("scale", IsFloat32), Pattern.Constant("bias", IsFloat32),
            Pattern.Constant("mean", IsFloat32), Pattern.Constant("var", IsFloat32))
        .If((node, graph) => OnlyFirstOutputUsed(node, graph) && !Training(node, graph.OpsetOf(node.Domain)));

    /// <summary>
    /// Training-mode BatchNormalization normalises by batch statistics and is not a constant affine
    /// map: training_mode = 1 from opset 14, more than one output in 7-13 (checked by the pattern),
    /// is_test = 0 (its default) before 7. Unknown opset: assume training, fold nothing.
    /// </summary>
    private static bool Training(Node node, int? opset) => opset switch
    {
        null => true,
        >= 14 => IntAttr(node, "training_mode", 0) != 0,
        >= 7 => false,
        _ => IntAttr(node, "is_test", 0) == 0,
    };

    /// <summary>scale / sqrt(var + epsilon) and B - mean · that, one value per channel.</summary>
    private static (Tensor Scale, Tensor Shift) Affine(Match match)
    {
        float epsilon = FloatAttr(match.Root, "epsilon", 1e-5f);
        var scale = ConstantMath.Div(match.Constant("scale"), ConstantMath.Sqrt(ConstantMath.Add(match.Constant("var"), ConstantMath.Scalar(epsilon))));
        var shift = ConstantMath.Sub(match.Constant("bias"), ConstantMath.Mul(match.Constant("mean"), scale));
        return (Flat(scale), Flat(shift));
    }

    private static Tensor Flat(Tensor t) => t.Reshape([t.Length]);

    private sealed class IntoConv : RewriteRule
    {
        public override string Name => "batchnorm-into-conv";

        public override OpPattern Pattern { get; } = BatchNorm(Passes.Pattern.Op("Conv", Passes.Pattern.Any(), Passes.Pattern.Constant("weight", IsFloat32)));

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var conv = match.Node("layer");
            var weight = match.Constant("weight");
            int channels = weight.Dim(0);
            if (match.Constant("scale").Length != channels || (conv.HasInput(2) && graph.Constant(conv.Inputs[2]) is not { DataType: DataType.Float32 }))
            {
                return false;
            }
            var (scale, shift) = Affine(match);
            var folded = ConstantMath.Mul(weight, ConstantMath.AlongAxis(scale, 0, weight.Rank));
            var bias = conv.HasInput(2) ? ConstantMath.Add(ConstantMath.Mul(graph.Constant(conv.Inputs[2])!, scale), shift) : shift;
            var inputs = new[] { conv.Inputs[0], graph.AddInitializer($"{conv.Name}_weight_bn", folded), graph.AddInitializer($"{conv.Name}_bias_bn", bias) };
            graph.ReplaceNode(match.Root, conv.With(inputs: inputs, outputs: [match.Root.Outputs[0]]));
            return true;
        }
    }

    private sealed class IntoGemm : RewriteRule
    {
        public override string Name => "batchnorm-into-gemm";

        public override OpPattern Pattern { get; } = BatchNorm(Passes.Pattern.Op("Gemm", Passes.Pattern.Any(), Passes.Pattern.Constant("weight", IsFloat32)));

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            if (Folded(match, graph, match.Root.Outputs[0]) is not Node gemm)
            {
                return false;
            }
            graph.ReplaceNode(match.Root, gemm);
            return true;
        }

        /// <summary>The Gemm with the BatchNormalization folded in, defining <paramref name="output"/>; null when the shapes do not fit.</summary>
        public static Node? Folded(Match match, GraphEditor graph, string output)
        {
            var gemm = match.Node("layer");
            var weight = match.Constant("weight");
            bool transB = IntAttr(gemm, "transB", 0) != 0;
            int columns = weight.Dim(transB ? 0 : 1);
            Tensor? c = gemm.HasInput(2) ? graph.Constant(gemm.Inputs[2]) : null;
            if (match.Constant("scale").Length != columns || (gemm.HasInput(2) && c is not { DataType: DataType.Float32 }))
            {
                return null;
            }
            var (scale, shift) = Affine(match);
            float beta = FloatAttr(gemm, "beta", 1f);
            var folded = ConstantMath.Mul(weight, ConstantMath.AlongAxis(scale, transB ? 0 : 1, 2));
            // Y' = s·(alpha·A·B + beta·C) + shift = alpha·A·(B·s) + (s·beta·C + shift)
            var bias = c is null ? shift : ConstantMath.Add(ConstantMath.Mul(ConstantMath.Mul(c, ConstantMath.Scalar(beta)), scale), shift);
            var inputs = new[] { gemm.Inputs[0], graph.AddInitializer($"{gemm.Name}_weight_bn", folded), graph.AddInitializer($"{gemm.Name}_bias_bn", bias) };
            return gemm.With(inputs: inputs, outputs: [output], attributes: WithAttributes(gemm, ("beta", 1f)));
        }
    }

    /// <summary>
    /// PyTorch's BatchNorm1d after a Linear layer exports as Gemm → Unsqueeze(axis 2) → BatchNormalization
    /// → Squeeze: the channel axis is still the Gemm's column, so the fold applies, and the Unsqueeze stays.
    /// </summary>
    private sealed class IntoGemmThroughUnsqueeze : RewriteRule
    {
        public override string Name => "batchnorm-into-gemm-through-unsqueeze";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op("BatchNormalization",
                Passes.Pattern.Op("Unsqueeze", Passes.Pattern.Op("Gemm", Passes.Pattern.Any(), Passes.Pattern.Constant("weight", IsFloat32)).SingleUse().As("layer"))
                    .SingleUse().As("unsqueeze"),
                Passes.Pattern.Constant("scale", IsFloat32), Passes.Pattern.Constant("bias", IsFloat32),
                Passes.Pattern.Constant("mean", IsFloat32), Passes.Pattern.Constant("var", IsFloat32))
            .If((node, graph) => OnlyFirstOutputUsed(node, graph) && !Training(node, graph.OpsetOf(node.Domain)));

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var unsqueeze = match.Node("unsqueeze");
            var axes = IntsAttr(unsqueeze, "axes") ?? (unsqueeze.Inputs.Length > 1 ? graph.Constant(unsqueeze.Inputs[1])?.ToInt64Array() : null);
            if (axes is not ([2] or [-1]))
            {
                return false;
            }
            string product = graph.FreshName($"{match.Node("layer").Name}_bn_out");
            if (IntoGemm.Folded(match, graph, product) is not Node gemm)
            {
                return false;
            }
            graph.ReplaceNode(match.Root, unsqueeze.With(inputs: [product, .. unsqueeze.Inputs.Skip(1)], outputs: [match.Root.Outputs[0]]));
            graph.AddNode(gemm);
            return true;
        }
    }

    private sealed class IntoMatMul : RewriteRule
    {
        public override string Name => "batchnorm-into-matmul";

        public override OpPattern Pattern { get; } = BatchNorm(Passes.Pattern.Op("MatMul", Passes.Pattern.Any("input"), Passes.Pattern.Constant("weight", w => IsFloat32(w) && w.Rank == 2)));

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var matmul = match.Node("layer");
            var weight = match.Constant("weight");
            if (graph.TensorTypeOf(match.Value("input")) is not { Shape.IsRankKnown: true, Shape.Rank: 2 } || match.Constant("scale").Length != weight.Dim(1))
            {
                return false;
            }
            var (scale, shift) = Affine(match);
            var folded = ConstantMath.Mul(weight, ConstantMath.AlongAxis(scale, 1, 2));
            var inputs = new[] { match.Value("input"), graph.AddInitializer($"{matmul.Name}_weight_bn", folded), graph.AddInitializer($"{matmul.Name}_bias_bn", shift) };
            graph.ReplaceNode(match.Root, new Node(matmul.Name, "Gemm", inputs, [match.Root.Outputs[0]]));
            return true;
        }
    }
}

using Neurite.Ir;
using static Neurite.Passes.RewriteHelpers;

namespace Neurite.Passes;

/// <summary>
/// Folds a constant Add or Mul after a Conv or Gemm with constant weights into those weights,
/// when nothing else reads the layer's output:
/// <code>
///   Conv(x, W, b) + c  →  Conv(x, W, b + c)          c one value per output channel (or a scalar)
///   Conv(x, W, b) · c  →  Conv(x, W·c, b·c)
///   Gemm(A, B, C) + c  →  Gemm(A, B, beta·C + c)     c broadcasts to the output without growing it
///   Gemm(A, B, C) · c  →  Gemm(A, B·c, C·c)          c one value per output column (or a scalar)
/// </code>
/// The constant may be either operand. Float32 only. This is what exporters leave behind when
/// they split a bias or a scale out of a layer, and what quantisation-aware graphs carry.
/// </summary>
public sealed class FoldAffineIntoLayers : RewritePass
{
    public override string Name => "fold-add-mul";
    public override string Description => "fold constant Add/Mul after Conv or Gemm into its bias and weights";

    public override IReadOnlyList<RewriteRule> Rules { get; } = [new AffineRule("Add"), new AffineRule("Mul")];

    private sealed class AffineRule(string opType) : RewriteRule
    {
        public override string Name => $"{opType.ToLowerInvariant()}-into-layer";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op(opType).If((node, _) => node.Inputs.Length == 2);

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var node = match.Root;
            for (int side = 0; side < 2; side++)
            {
                string layerOutput = node.Inputs[side];
                if (graph.Constant(node.Inputs[1 - side]) is { DataType: DataType.Float32 } constant
                    && graph.Producer(layerOutput) is { Domain: "", OpType: "Conv" or "Gemm" } layer
                    && layer.Outputs[0] == layerOutput && graph.HasSingleUse(layerOutput)
                    && graph.Constant(layer.Inputs[1]) is { DataType: DataType.Float32 } weight
                    && (!layer.HasInput(2) || graph.Constant(layer.Inputs[2]) is { DataType: DataType.Float32 })
                    && Fold(layer, weight, constant, graph) is (Tensor newWeight, Tensor newBias, var attributes))
                {
                    var inputs = new[] { layer.Inputs[0], graph.AddInitializer($"{layer.Name}_weight", newWeight), graph.AddInitializer($"{layer.Name}_bias", newBias) };
                    graph.ReplaceNode(node, layer.With(inputs: inputs, outputs: [node.Outputs[0]], attributes: attributes));
                    return true;
                }
            }
            return false;
        }

        private (Tensor, Tensor, IEnumerable<KeyValuePair<string, AttributeValue>>)? Fold(Node layer, Tensor weight, Tensor constant, GraphEditor graph)
        {
            Tensor? bias = layer.HasInput(2) ? graph.Constant(layer.Inputs[2]) : null;
            if (layer.OpType == "Conv")
            {
                int channels = weight.Dim(0);
                int rank = weight.Rank;
                if (ConstantMath.PerChannel(constant, 1, rank, channels) is not Tensor c)
                {
                    return null;
                }
                var zero = Tensor.Zeros(ElementType.Float32, [channels]);
                return opType == "Add"
                    ? (weight, ConstantMath.Add(bias ?? zero, c), layer.Attributes)
                    : (ConstantMath.Mul(weight, ConstantMath.AlongAxis(c, 0, rank)), ConstantMath.Mul(bias ?? zero, c), layer.Attributes);
            }
            bool transB = IntAttr(layer, "transB", 0) != 0;
            int columns = weight.Dim(transB ? 0 : 1);
            float beta = FloatAttr(layer, "beta", 1f);
            var output = graph.TensorTypeOf(layer.Outputs[0]);
            if (opType == "Add")
            {
                if (!BroadcastsWithoutGrowing(constant, output))
                {
                    return null;
                }
                var scaled = bias is null ? null : ConstantMath.Mul(bias, ConstantMath.Scalar(beta));
                return (weight, scaled is null ? constant : ConstantMath.Add(scaled, constant), WithAttributes(layer, ("beta", 1f)));
            }
            if (ConstantMath.PerChannel(constant, 1, 2, columns) is not Tensor perColumn)
            {
                return null;
            }
            var newWeight = ConstantMath.Mul(weight, ConstantMath.AlongAxis(perColumn, transB ? 0 : 1, 2));
            var newBias = bias is null ? Tensor.Zeros(ElementType.Float32, [columns]) : ConstantMath.Mul(ConstantMath.Mul(bias, ConstantMath.Scalar(beta)), perColumn);
            return (newWeight, newBias, WithAttributes(layer, ("beta", 1f)));
        }

        /// <summary>A Gemm bias must broadcast to the output (M, N) unidirectionally; the output shape must be known.</summary>
        private static bool BroadcastsWithoutGrowing(Tensor constant, TensorType? output)
        {
            if (!IsStatic(output) || output!.Shape.Rank != 2 || constant.Rank > 2)
            {
                return false;
            }
            int offset = 2 - constant.Rank;
            return Enumerable.Range(0, constant.Rank).All(i => constant.Dim(i) == 1 || constant.Dim(i) == output.Shape[i + offset].Value);
        }
    }
}

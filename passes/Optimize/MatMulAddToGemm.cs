using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Add(MatMul(A, B), C) → Gemm(A, B, C) when A and B are matrices, nothing else reads the
/// MatMul's output, and C broadcasts to the (M, N) result without growing it (Gemm broadcasts
/// C one way only). The bias may be either operand of the Add. Floating-point types only, where
/// Gemm and MatMul + Add round the same way (one product sum, then one addition).
/// </summary>
public sealed class MatMulAddToGemm : RewritePass
{
    public override string Name => "matmul-add-to-gemm";
    public override string Description => "turn MatMul followed by a bias Add into one Gemm";

    public override IReadOnlyList<RewriteRule> Rules { get; } = [new Rule()];

    private sealed class Rule : RewriteRule
    {
        public override string Name => "matmul-add";
        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Add").If((node, _) => node.Inputs.Length == 2);

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var add = match.Root;
            for (int side = 0; side < 2; side++)
            {
                if (graph.Producer(add.Inputs[side]) is { Domain: "", OpType: "MatMul" } matmul
                    && matmul.Outputs[0] == add.Inputs[side] && graph.HasSingleUse(add.Inputs[side])
                    && IsMatrix(graph.TensorTypeOf(matmul.Inputs[0])) && IsMatrix(graph.TensorTypeOf(matmul.Inputs[1]))
                    && graph.TensorTypeOf(matmul.Outputs[0]) is TensorType product && product.ElementType.Storage.IsFloatingPoint()
                    && graph.TensorTypeOf(add.Inputs[1 - side]) is TensorType bias && bias.ElementType.Equals(product.ElementType)
                    && BroadcastsOneWay(bias, product))
                {
                    graph.ReplaceNode(add, new Node(matmul.Name, "Gemm", [matmul.Inputs[0], matmul.Inputs[1], add.Inputs[1 - side]], [add.Outputs[0]]));
                    return true;
                }
            }
            return false;
        }

        private static bool IsMatrix(TensorType? type) => type is { Shape.IsRankKnown: true, Shape.Rank: 2 };

        private static bool BroadcastsOneWay(TensorType bias, TensorType product)
        {
            if (!bias.Shape.IsRankKnown || bias.Shape.Rank > 2)
            {
                return false;
            }
            int offset = 2 - bias.Shape.Rank;
            return Enumerable.Range(0, bias.Shape.Rank).All(i => bias.Shape[i] is { IsKnown: true, Value: 1 } || bias.Shape[i] == product.Shape[i + offset]);
        }
    }
}

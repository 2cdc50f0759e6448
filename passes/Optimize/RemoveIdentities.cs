using Neurite.Ir;
using static Neurite.Passes.RewriteHelpers;

namespace Neurite.Passes;

/// <summary>
/// Removes nodes that compute their input unchanged: Identity, Dropout at inference, Cast to the
/// type the value already has, Reshape to the shape it already has, Transpose by the identity
/// permutation; merges Reshape of Reshape and Transpose of Transpose into one (nothing when the
/// permutations cancel); drops Squeeze(Unsqueeze(x)) over the same axes.
/// </summary>
public sealed class RemoveIdentities : RewritePass
{
    public override string Name => "remove-identities";
    public override string Description => "drop Identity, inference Dropout, no-op Cast/Reshape/Transpose; merge Reshape and Transpose pairs";

    public override IReadOnlyList<RewriteRule> Rules { get; } =
        [new IdentityRule(), new DropoutRule(), new NoOpCastRule(), new NoOpReshapeRule(), new ReshapePairRule(), new TransposeRule(), new SqueezeUnsqueezeRule()];

    private sealed class IdentityRule : RewriteRule
    {
        public override string Name => "identity";
        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Identity");

        public override bool Rewrite(Match match, GraphEditor graph) =>
            graph.TypeOf(match.Root.Inputs[0]) is null or TensorType && TryForward(graph, match.Root.Outputs[0], match.Root.Inputs[0]);
    }

    private sealed class DropoutRule : RewriteRule
    {
        public override string Name => "dropout";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Dropout").If((node, graph) =>
            OnlyFirstOutputUsed(node, graph)
            && (node.Inputs.Length < 3 || node.Inputs[2].Length == 0 || graph.Constant(node.Inputs[2]) is Tensor mode && mode.GetDouble(0) == 0));

        public override bool Rewrite(Match match, GraphEditor graph) => TryForward(graph, match.Root.Outputs[0], match.Root.Inputs[0]);
    }

    private sealed class NoOpCastRule : RewriteRule
    {
        public override string Name => "no-op-cast";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Cast").If((node, graph) =>
            graph.TensorTypeOf(node.Inputs[0]) is TensorType input && node.Attribute("to") is AttributeValue to
            && input.ElementType is ScalarType && OnnxTypeCodes.ToDataType(to.AsInt()) == input.ElementType.Storage);

        public override bool Rewrite(Match match, GraphEditor graph) => TryForward(graph, match.Root.Outputs[0], match.Root.Inputs[0]);
    }

    private sealed class NoOpReshapeRule : RewriteRule
    {
        public override string Name => "no-op-reshape";

        public override OpPattern Pattern { get; } = Passes.Pattern.OneOf(["Reshape", "Squeeze", "Unsqueeze", "Flatten", "Expand"]).If((node, graph) =>
            SameShape(graph.TensorTypeOf(node.Inputs[0]), graph.TensorTypeOf(node.Outputs[0])));

        public override bool Rewrite(Match match, GraphEditor graph) => TryForward(graph, match.Root.Outputs[0], match.Root.Inputs[0]);
    }

    /// <summary>Reshape(Reshape(x, a), b) is Reshape(x, b) when b copies no dimension from the middle shape (no 0).</summary>
    private sealed class ReshapePairRule : RewriteRule
    {
        public override string Name => "reshape-pair";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Reshape",
                Passes.Pattern.Op("Reshape").As("inner"),
                Passes.Pattern.Constant("shape", s => s.DataType == DataType.Int64 && !s.ToInt64Array().Contains(0)))
            .If((node, graph) => node.Inputs.Length == 2);

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var inner = match.Node("inner");
            if (inner.Inputs.Length < 2 || graph.Constant(inner.Inputs[1]) is null)
            {
                return false;
            }
            var merged = match.Root.With(inputs: [inner.Inputs[0], match.Value("shape")]);
            graph.ReplaceNode(match.Root, merged);
            return true;
        }
    }

    /// <summary>Transpose by the identity permutation goes; two Transposes in a row become one, or none.</summary>
    private sealed class TransposeRule : RewriteRule
    {
        public override string Name => "transpose";
        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Transpose");

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var node = match.Root;
            if (Permutation(node, graph) is not int[] outer)
            {
                return false;
            }
            if (IsIdentity(outer))
            {
                return TryForward(graph, node.Outputs[0], node.Inputs[0]);
            }
            if (graph.Producer(node.Inputs[0]) is not { OpType: "Transpose", Domain: "" } inner || Permutation(inner, graph) is not int[] first)
            {
                return false;
            }
            var composed = outer.Select(axis => first[axis]).ToArray();
            if (IsIdentity(composed))
            {
                return TryForward(graph, node.Outputs[0], inner.Inputs[0]);
            }
            graph.ReplaceNode(node, node.With(inputs: [inner.Inputs[0]], attributes: WithAttributes(node, ("perm", composed))));
            return true;
        }

        private static int[]? Permutation(Node node, GraphEditor graph)
        {
            if (IntsAttr(node, "perm") is long[] perm)
            {
                return perm.Select(p => (int)p).ToArray();
            }
            return graph.TensorTypeOf(node.Inputs[0]) is { Shape.IsRankKnown: true } type
                ? Enumerable.Range(0, type.Shape.Rank).Reverse().ToArray()
                : null;
        }

        private static bool IsIdentity(int[] perm) => perm.Select((p, i) => p == i).All(x => x);
    }

    /// <summary>Squeeze(Unsqueeze(x, axes), axes) is x (PyTorch's BatchNorm1d export leaves these behind).</summary>
    private sealed class SqueezeUnsqueezeRule : RewriteRule
    {
        public override string Name => "squeeze-unsqueeze";
        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Squeeze", Passes.Pattern.Op("Unsqueeze").As("unsqueeze"));

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var unsqueeze = match.Node("unsqueeze");
            if (graph.TensorTypeOf(unsqueeze.Outputs[0]) is not { Shape.IsRankKnown: true } expanded
                || Axes(unsqueeze, graph, expanded.Shape.Rank) is not long[] added || Axes(match.Root, graph, expanded.Shape.Rank) is not long[] removed
                || !added.Order().SequenceEqual(removed.Order()))
            {
                return false;
            }
            return TryForward(graph, match.Root.Outputs[0], unsqueeze.Inputs[0]);
        }

        /// <summary>The axes, non-negative: an attribute before opset 13, a constant input from 13; null when not known.</summary>
        private static long[]? Axes(Node node, GraphEditor graph, int rank)
        {
            var axes = IntsAttr(node, "axes") ?? (node.Inputs.Length > 1 && node.Inputs[1].Length > 0 ? graph.Constant(node.Inputs[1])?.ToInt64Array() : null);
            return axes?.Select(a => a < 0 ? a + rank : a).ToArray();
        }
    }
}

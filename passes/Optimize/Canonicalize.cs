using Neurite.Ir;
using static Neurite.Passes.RewriteHelpers;

namespace Neurite.Passes;

/// <summary>
/// Rewrites ops into one form each, so targets and later passes handle one case:
/// <list type="bullet">
/// <item>Conv, MaxPool, AveragePool: every attribute explicit (kernel_shape, strides, pads, dilations, group), auto_pad resolved into pads when the spatial input sizes are known.</item>
/// <item>Gemm with constant weights: B stored as (K, N) (transB = 0), alpha folded into B and beta into a constant C; every attribute explicit.</item>
/// <item>A Reshape whose target is computed from the input's own run-time dimensions (PyTorch's <c>x.view(x.size(0), -1)</c>: Shape → Gather → Unsqueeze → Concat) gets a constant target that copies them (0) instead.</item>
/// <item>A Reshape that flattens (to a matrix, splitting at an axis boundary) becomes Flatten; Flatten's axis is explicit.</item>
/// <item>A 1-D convolution or pooling written as 2-D (Unsqueeze → Conv/MaxPool/AveragePool with a size-1 window on the added axis → Squeeze, as tf2onnx exports Conv1D) becomes the 1-D op.</item>
/// </list>
/// </summary>
public sealed class Canonicalize : RewritePass
{
    public override string Name => "canonicalize";
    public override string Description => "one form per op: explicit attributes, auto_pad resolved, Gemm weights as (K, N), flattening Reshape as Flatten";

    public override IReadOnlyList<RewriteRule> Rules { get; } = [new WindowRule(), new GemmRule(), new ReshapeTargetRule(), new FlattenRule(), new OneDimensionalRule()];

    private sealed class WindowRule : RewriteRule
    {
        public override string Name => "window-attributes";
        public override OpPattern Pattern { get; } = Passes.Pattern.OneOf(["Conv", "MaxPool", "AveragePool"]);

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var node = match.Root;
            bool isConv = node.OpType == "Conv";
            var kernel = IntsAttr(node, "kernel_shape");
            if (kernel is null && isConv && graph.TensorTypeOf(node.Inputs[1]) is { } w && IsStatic(w))
            {
                kernel = w.Shape.Dims.Skip(2).Select(d => d.Value).ToArray();
            }
            if (kernel is null || (node.OpType == "MaxPool" && node.Outputs.Length > 1 && node.Outputs[1].Length > 0))
            {
                return false;
            }
            int spatial = kernel.Length;
            var strides = IntsAttr(node, "strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
            var dilations = IntsAttr(node, "dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
            string autoPad = StringAttr(node, "auto_pad", "NOTSET");
            long[]? pads = autoPad == "NOTSET" ? IntsAttr(node, "pads") ?? new long[2 * spatial]
                : ResolveAutoPad(autoPad, graph.TensorTypeOf(node.Inputs[0]), kernel, strides, dilations);
            if (pads is null || (autoPad != "NOTSET" && !isConv && IntAttr(node, "ceil_mode", 0) != 0))
            {
                pads = null;
            }
            var changes = new List<(string, AttributeValue)> { ("kernel_shape", kernel), ("strides", strides) };
            if (pads is not null)
            {
                changes.Add(("pads", pads));
                changes.Add(("auto_pad", "NOTSET"));
            }
            if (isConv)
            {
                changes.Add(("dilations", dilations));
                changes.Add(("group", IntAttr(node, "group", 1)));
            }
            var attributes = WithAttributes(node, [.. changes]);
            if (attributes.Count == node.Attributes.Count && attributes.All(a => node.Attributes.TryGetValue(a.Key, out var v) && v.ToString() == a.Value.ToString()))
            {
                return false;
            }
            graph.ReplaceNode(node, node.With(attributes: attributes));
            return true;
        }

        /// <summary>SAME_UPPER/SAME_LOWER/VALID as explicit pads; null when the spatial input sizes are not known.</summary>
        private static long[]? ResolveAutoPad(string autoPad, TensorType? input, long[] kernel, long[] strides, long[] dilations)
        {
            int spatial = kernel.Length;
            if (autoPad == "VALID")
            {
                return new long[2 * spatial];
            }
            if (autoPad is not ("SAME_UPPER" or "SAME_LOWER") || input is not { Shape.IsRankKnown: true } || input.Shape.Rank != spatial + 2)
            {
                return null;
            }
            var pads = new long[2 * spatial];
            for (int i = 0; i < spatial; i++)
            {
                if (!input.Shape[i + 2].IsKnown)
                {
                    return null;
                }
                long size = input.Shape[i + 2].Value;
                long output = (size + strides[i] - 1) / strides[i];
                long total = Math.Max(0, (output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size);
                long small = total / 2, large = total - small;
                (pads[i], pads[spatial + i]) = autoPad == "SAME_UPPER" ? (small, large) : (large, small);
            }
            return pads;
        }
    }

    private sealed class GemmRule : RewriteRule
    {
        public override string Name => "gemm-form";
        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Gemm");

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var node = match.Root;
            float alpha = FloatAttr(node, "alpha", 1f), beta = FloatAttr(node, "beta", 1f);
            bool transB = IntAttr(node, "transB", 0) != 0;
            var inputs = node.Inputs.ToArray();
            if (graph.Constant(inputs[1]) is { DataType: DataType.Float32, Rank: 2 } weight && (transB || alpha != 1f))
            {
                var b = transB ? ConstantMath.Transpose(weight, 1, 0) : weight;
                b = alpha != 1f ? ConstantMath.Mul(b, ConstantMath.Scalar(alpha)) : b;
                inputs[1] = graph.AddInitializer($"{node.Name}_weight", b);
                (transB, alpha) = (false, 1f);
            }
            if (node.HasInput(2) && beta != 1f && graph.Constant(inputs[2]) is { DataType: DataType.Float32 } c)
            {
                inputs[2] = graph.AddInitializer($"{node.Name}_bias", ConstantMath.Mul(c, ConstantMath.Scalar(beta)));
                beta = 1f;
            }
            var attributes = WithAttributes(node, ("alpha", alpha), ("beta", beta), ("transA", IntAttr(node, "transA", 0)), ("transB", transB ? 1L : 0L));
            attributes.Remove("broadcast");
            bool sameInputs = inputs.SequenceEqual(node.Inputs);
            if (sameInputs && attributes.Count == node.Attributes.Count && attributes.All(a => node.Attributes.TryGetValue(a.Key, out var v) && v.ToString() == a.Value.ToString()))
            {
                return false;
            }
            graph.ReplaceNode(node, node.With(inputs: inputs, attributes: attributes));
            return true;
        }
    }

    private sealed class FlattenRule : RewriteRule
    {
        public override string Name => "flatten-form";
        public override OpPattern Pattern { get; } = Passes.Pattern.OneOf(["Reshape", "Flatten"]);

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var node = match.Root;
            if (node.OpType == "Flatten")
            {
                if (node.Attribute("axis") is not null)
                {
                    return false;
                }
                graph.ReplaceNode(node, node.With(attributes: WithAttributes(node, ("axis", 1L))));
                return true;
            }
            if (graph.TensorTypeOf(node.Inputs[0]) is not { Shape.IsRankKnown: true } input
                || graph.TensorTypeOf(node.Outputs[0]) is not { Shape.IsRankKnown: true, Shape.Rank: 2 } output
                || FlattenAxis(input, output) is not int axis)
            {
                return false;
            }
            graph.ReplaceNode(node, new Node(node.Name, "Flatten", [node.Inputs[0]], node.Outputs, new Dictionary<string, AttributeValue> { ["axis"] = axis }));
            return true;
        }

        /// <summary>The axis k with output = (d0·…·d(k-1), dk·…) when there is one; symbolic dimensions match only themselves.</summary>
        private static int? FlattenAxis(TensorType input, TensorType output)
        {
            var dims = input.Shape.Dims;
            for (int k = 1; k < dims.Length; k++)
            {
                if (Matches(dims.Take(k).ToList(), output.Shape[0]) && Matches(dims.Skip(k).ToList(), output.Shape[1]))
                {
                    return k;
                }
            }
            return null;
        }

        private static bool Matches(IReadOnlyList<Dim> group, Dim target)
        {
            if (group.All(d => d.IsKnown))
            {
                return target.IsKnown && group.Aggregate(1L, (p, d) => p * d.Value) == target.Value;
            }
            return group.Count == 1 && group[0].IsSymbolic && group[0] == target;
        }
    }

    /// <summary>
    /// Squeeze(Op2d(Unsqueeze(x, [a]), ...), [a]) → Op1d(x, ...) when the 2-D window has size 1 and
    /// no padding along the added spatial axis a, so that axis stays 1 and carries nothing.
    /// </summary>
    private sealed class OneDimensionalRule : RewriteRule
    {
        public override string Name => "one-dimensional-window";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Squeeze",
            Passes.Pattern.OneOf(["Conv", "MaxPool", "AveragePool"], Passes.Pattern.Op("Unsqueeze").SingleUse().As("unsqueeze")).SingleUse().As("window"));

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var window = match.Node("window");
            var unsqueeze = match.Node("unsqueeze");
            if (window.Outputs.Skip(1).Any(o => o.Length > 0) || StringAttr(window, "auto_pad", "NOTSET") != "NOTSET"
                || SingleAxis(unsqueeze, graph) is not int axis || SingleAxis(match.Root, graph) != axis || axis is not (2 or 3)
                || IntsAttr(window, "kernel_shape") is not { Length: 2 } kernel || kernel[axis - 2] != 1)
            {
                return false;
            }
            int drop = axis - 2, keep = 1 - drop;
            var pads = IntsAttr(window, "pads") ?? new long[4];
            if (pads[drop] != 0 || pads[2 + drop] != 0)
            {
                return false;
            }
            var attributes = WithAttributes(window, ("kernel_shape", new[] { kernel[keep] }), ("pads", new[] { pads[keep], pads[2 + keep] }));
            foreach (var name in new[] { "strides", "dilations" })
            {
                if (IntsAttr(window, name) is { Length: 2 } values)
                {
                    attributes[name] = new[] { values[keep] };
                }
            }
            attributes.Remove("storage_order");
            var inputs = window.Inputs.ToArray();
            inputs[0] = unsqueeze.Inputs[0];
            if (window.OpType == "Conv")
            {
                if (graph.Constant(window.Inputs[1]) is not { Rank: 4 } weight || weight.Dim(2 + drop) != 1)
                {
                    return false;
                }
                var shape = weight.ShapeArray().Where((_, i) => i != 2 + drop).ToArray();
                inputs[1] = graph.AddInitializer($"{window.Name}_weight_1d", weight.Reshape(shape));
            }
            graph.ReplaceNode(match.Root, new Node(window.Name, window.OpType, inputs, [match.Root.Outputs[0]], attributes));
            return true;
        }

        /// <summary>The one axis an Unsqueeze adds or a Squeeze removes, counted in the 4-D tensor; null when not exactly one known axis.</summary>
        private static int? SingleAxis(Node node, GraphEditor graph)
        {
            var axes = IntsAttr(node, "axes") ?? (node.Inputs.Length > 1 && node.Inputs[1].Length > 0 ? graph.Constant(node.Inputs[1])?.ToInt64Array() : null);
            return axes is [long a] ? (int)(a < 0 ? a + 4 : a) : null;
        }
    }

    /// <summary>
    /// Reshape(x, [dim 0 of x, …, -1]) computed at run time → Reshape(x, [0, …, -1]) with a constant
    /// target: element i may be a number or dimension i of x itself (which 0 copies when allowzero is 0).
    /// </summary>
    private sealed class ReshapeTargetRule : RewriteRule
    {
        public override string Name => "reshape-target";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Reshape")
            .If((node, graph) => node.Inputs.Length == 2 && graph.Constant(node.Inputs[1]) is null && IntAttr(node, "allowzero", 0) == 0);

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var node = match.Root;
            if (ShapeValues.Of(node.Inputs[1], graph) is not ShapeElement[] elements)
            {
                return false;
            }
            var target = new long[elements.Length];
            for (int i = 0; i < elements.Length; i++)
            {
                if (elements[i].Value is long known)
                {
                    target[i] = known;
                }
                else if (elements[i].Source == node.Inputs[0] && elements[i].Axis == i)
                {
                    target[i] = 0;
                }
                else
                {
                    return false;
                }
            }
            string shape = graph.AddInitializer($"{node.Name}_shape", Tensor.Create(target, target.Length));
            graph.ReplaceNode(node, node.With(inputs: [node.Inputs[0], shape]));
            return true;
        }
    }
}

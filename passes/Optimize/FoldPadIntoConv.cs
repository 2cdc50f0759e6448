using Neurite.Ir;
using static Neurite.Passes.RewriteHelpers;

namespace Neurite.Passes;

/// <summary>
/// Conv(Pad(x)) → Conv(x) with the padding in the Conv's pads, when the Pad is constant-mode with
/// value 0, pads only spatial axes by non-negative amounts, nothing else reads it, and the Conv
/// pads explicitly (auto_pad NOTSET; canonicalize resolves the others first).
/// </summary>
public sealed class FoldPadIntoConv : RewritePass
{
    public override string Name => "fold-pad-into-conv";
    public override string Description => "fold a zero Pad of the spatial axes into the following Conv";

    public override IReadOnlyList<RewriteRule> Rules { get; } = [new Rule()];

    private sealed class Rule : RewriteRule
    {
        public override string Name => "pad-into-conv";

        public override OpPattern Pattern { get; } = Passes.Pattern.Op("Conv", Passes.Pattern.Op("Pad").SingleUse().As("pad"))
            .If((node, _) => StringAttr(node, "auto_pad", "NOTSET") == "NOTSET");

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var conv = match.Root;
            var pad = match.Node("pad");
            if (StringAttr(pad, "mode", "constant") != "constant" || PadAmounts(pad, graph) is not long[] amounts || !ZeroValue(pad, graph))
            {
                return false;
            }
            int rank = amounts.Length / 2;
            int spatial = rank - 2;
            if (spatial < 1 || amounts.Any(a => a < 0) || amounts[0] != 0 || amounts[1] != 0 || amounts[rank] != 0 || amounts[rank + 1] != 0)
            {
                return false;
            }
            var pads = IntsAttr(conv, "pads") ?? new long[2 * spatial];
            if (pads.Length != 2 * spatial)
            {
                return false;
            }
            var merged = new long[2 * spatial];
            for (int i = 0; i < spatial; i++)
            {
                merged[i] = pads[i] + amounts[2 + i];
                merged[spatial + i] = pads[spatial + i] + amounts[rank + 2 + i];
            }
            graph.ReplaceNode(conv, conv.With(inputs: [pad.Inputs[0], .. conv.Inputs.Skip(1)], attributes: WithAttributes(conv, ("pads", merged))));
            return true;
        }

        /// <summary>The pads of every axis, begins then ends: an attribute before opset 11, a constant input after (with no axes input).</summary>
        private static long[]? PadAmounts(Node pad, GraphEditor graph)
        {
            if (IntsAttr(pad, "pads") is long[] fromAttribute)
            {
                return fromAttribute;
            }
            if (pad.Inputs.Length > 3 && pad.Inputs[3].Length > 0)
            {
                return null;
            }
            return pad.Inputs.Length > 1 && graph.Constant(pad.Inputs[1]) is Tensor amounts ? amounts.ToInt64Array() : null;
        }

        private static bool ZeroValue(Node pad, GraphEditor graph)
        {
            if (pad.Attribute("value") is AttributeValue attribute)
            {
                return attribute.AsFloat() == 0f;
            }
            if (pad.Inputs.Length < 3 || pad.Inputs[2].Length == 0)
            {
                return true;
            }
            return graph.Constant(pad.Inputs[2]) is Tensor value && value.Length == 1 && value.GetDouble(0) == 0;
        }
    }
}

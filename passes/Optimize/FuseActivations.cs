using System.Collections.Immutable;
using Neurite.Ir;
using Neurite.Ir.Ops;
using static Neurite.Passes.RewriteHelpers;

namespace Neurite.Passes;

/// <summary>
/// Marks a Conv or Gemm followed by Relu, LeakyRelu, Sigmoid or Clip (constant bounds) as one
/// neurite.FusedConv / neurite.FusedGemm node, so a target emits the activation inside the
/// layer's output loop. Only when nothing else reads the layer's output. The model gains the
/// import of the neurite domain; other ONNX tools do not know these ops, which is why the
/// <c>onnx</c> pipeline leaves this pass out.
/// </summary>
public sealed class FuseActivations : RewritePass
{
    public override string Name => "fuse-activations";
    public override string Description => "fuse Relu/LeakyRelu/Sigmoid/Clip into the Conv or Gemm before it (neurite domain)";

    public override IReadOnlyList<RewriteRule> Rules { get; } = [new Rule()];

    public override Model Run(Model model, PassContext context)
    {
        if (model.OpsetOf(OpDomains.Neurite) is not null)
        {
            return base.Run(model, context);
        }
        var withDomain = new Model(model.Graph, model.Opsets.Add(OpDomains.Neurite, 1), model.Metadata);
        var result = base.Run(withDomain, context);
        return ReferenceEquals(result, withDomain) ? model : result;
    }

    private sealed class Rule : RewriteRule
    {
        public override string Name => "activation-into-layer";

        public override OpPattern Pattern { get; } =
            Passes.Pattern.OneOf(FusedActivation.ParameterCounts.Keys, Passes.Pattern.OneOf(["Conv", "Gemm"]).SingleUse().As("layer"));

        public override bool Rewrite(Match match, GraphEditor graph)
        {
            var activation = match.Root;
            var layer = match.Node("layer");
            if (Parameters(activation, graph) is not float[] parameters
                || graph.TensorTypeOf(layer.Outputs[0]) is not TensorType { ElementType: ScalarType { Storage: DataType.Float32 or DataType.Float64 or DataType.Float16 } })
            {
                return false;
            }
            var attributes = WithAttributes(layer, ("activation", activation.OpType), ("activation_params", AttributeValue.FromFloats(parameters)));
            string opType = layer.OpType == "Conv" ? "FusedConv" : "FusedGemm";
            graph.ReplaceNode(activation, new Node(layer.Name, opType, layer.Inputs, [activation.Outputs[0]], attributes, OpDomains.Neurite));
            return true;
        }

        private static float[]? Parameters(Node activation, GraphEditor graph) => activation.OpType switch
        {
            "LeakyRelu" => [FloatAttr(activation, "alpha", 0.01f)],
            "Clip" => ClipBounds(activation, graph),
            _ => [],
        };

        /// <summary>Bounds from attributes (opset 6-10) or constant scalar inputs (11 on); an absent bound is infinite.</summary>
        private static float[]? ClipBounds(Node clip, GraphEditor graph)
        {
            float lower = FloatAttr(clip, "min", float.NegativeInfinity), upper = FloatAttr(clip, "max", float.PositiveInfinity);
            for (int i = 1; i <= 2 && i < clip.Inputs.Length; i++)
            {
                if (clip.Inputs[i].Length == 0)
                {
                    continue;
                }
                if (graph.Constant(clip.Inputs[i]) is not { Length: 1 } bound || !bound.DataType.IsFloatingPoint() && bound.DataType != DataType.Float16)
                {
                    return null;
                }
                float value = (float)bound.GetDouble(0);
                (lower, upper) = i == 1 ? (value, upper) : (lower, value);
            }
            return [lower, upper];
        }
    }
}

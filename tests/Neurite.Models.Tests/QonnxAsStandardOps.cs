using Neurite.Ir;

namespace Neurite.Models.Tests;

/// <summary>
/// Rewrites QONNX's Quant and BipolarQuant nodes into the standard ONNX ops that spell out the
/// formulas of the QONNX specification (Div, Add, Clip, Round, Sub, Mul; GreaterOrEqual, Where),
/// so that ONNX Runtime, which has no QONNX kernels, can run a reference for a QONNX model. The
/// rewrite is independent of Neurite's Quant evaluator: it is the specification's sample code,
/// written in ONNX.
/// </summary>
public static class QonnxAsStandardOps
{
    public static Model Rewrite(Model model)
    {
        var nodes = new List<Node>();
        var constants = new List<Initializer>();
        foreach (var node in model.Graph.Nodes)
        {
            switch (node.Domain == OpDomains.Qonnx ? node.OpType : null)
            {
                case "Quant":
                    nodes.AddRange(Quant(node, model.Graph, constants));
                    break;
                case "BipolarQuant":
                    nodes.AddRange(Bipolar(node, constants));
                    break;
                case null:
                    nodes.Add(node);
                    break;
                default:
                    throw new NotSupportedException($"no standard-op form for {node.QualifiedOpType}");
            }
        }
        var graph = model.Graph.With(nodes: nodes, initializers: model.Graph.Initializers.Concat(constants));
        var opsets = model.Opsets.Where(p => p.Key != OpDomains.Qonnx).ToDictionary(p => p.Key, p => p.Value);
        return new Model(graph, opsets, model.Metadata);
    }

    private static IEnumerable<Node> Quant(Node node, Graph graph, List<Initializer> constants)
    {
        string x = node.Inputs[0], scale = node.Inputs[1], zero = node.Inputs[2], y = node.Outputs[0];
        int bits = (int)ConstantScalar(graph, node.Inputs[3]);
        bool signed = (node.Attribute("signed")?.AsInt() ?? 1) != 0;
        bool narrow = (node.Attribute("narrow")?.AsInt() ?? 0) != 0;
        string mode = node.Attribute("rounding_mode")?.AsString() ?? "ROUND";
        if (mode.ToUpperInvariant() != "ROUND" || (bits == 1 && signed))
        {
            throw new NotSupportedException($"{node.Name}: rounding {mode}, {bits} bits");
        }
        double min = signed ? -Math.Pow(2, bits - 1) + (narrow ? 1 : 0) : 0;
        double max = signed ? Math.Pow(2, bits - 1) - 1 : Math.Pow(2, bits) - (narrow ? 2 : 1);
        string p = $"{node.Name}/spec";
        constants.Add(new Initializer($"{p}/min", Tensor.Scalar((float)min)));
        constants.Add(new Initializer($"{p}/max", Tensor.Scalar((float)max)));
        return
        [
            new Node($"{p}/div", "Div", [x, scale], [$"{p}/scaled"]),
            new Node($"{p}/add", "Add", [$"{p}/scaled", zero], [$"{p}/shifted"]),
            new Node($"{p}/clip", "Clip", [$"{p}/shifted", $"{p}/min", $"{p}/max"], [$"{p}/clamped"]),
            new Node($"{p}/round", "Round", [$"{p}/clamped"], [$"{p}/integer"]),
            new Node($"{p}/sub", "Sub", [$"{p}/integer", zero], [$"{p}/centred"]),
            new Node($"{p}/mul", "Mul", [$"{p}/centred", scale], [y]),
        ];
    }

    private static IEnumerable<Node> Bipolar(Node node, List<Initializer> constants)
    {
        string p = $"{node.Name}/spec";
        constants.Add(new Initializer($"{p}/zero", Tensor.Scalar(0f)));
        constants.Add(new Initializer($"{p}/one", Tensor.Scalar(1f)));
        constants.Add(new Initializer($"{p}/minus_one", Tensor.Scalar(-1f)));
        return
        [
            new Node($"{p}/sign_test", "GreaterOrEqual", [node.Inputs[0], $"{p}/zero"], [$"{p}/non_negative"]),
            new Node($"{p}/sign", "Where", [$"{p}/non_negative", $"{p}/one", $"{p}/minus_one"], [$"{p}/signs"]),
            new Node($"{p}/mul", "Mul", [$"{p}/signs", node.Inputs[1]], [node.Outputs[0]]),
        ];
    }

    private static double ConstantScalar(Graph graph, string name)
    {
        var tensor = graph.Initializers.Single(i => i.Name == name).Value;
        return Ir.Kernels.TensorConvert.Convert(tensor, DataType.Float64).Span<double>()[0];
    }
}

namespace Neurite.Ir.Ops;

/// <summary>
/// The activations a fused layer (<see cref="FusedConv"/>, <see cref="FusedGemm"/>) applies to its
/// result, named by the <c>activation</c> attribute with their parameters in
/// <c>activation_params</c>: Relu (none), LeakyRelu (alpha), Sigmoid (none), Clip (min, max).
/// Evaluation runs the standalone op's own reference semantics on the layer's result, so a fused
/// node computes exactly what the two nodes it replaces computed.
/// </summary>
public static class FusedActivation
{
    /// <summary>Every activation a layer may fuse, with its number of parameters.</summary>
    public static IReadOnlyDictionary<string, int> ParameterCounts { get; } = new Dictionary<string, int>
    {
        ["Relu"] = 0,
        ["LeakyRelu"] = 1,
        ["Sigmoid"] = 0,
        ["Clip"] = 2,
    };

    /// <summary>The activation and its parameters; throws <see cref="InvalidNodeException"/> when they do not fit.</summary>
    public static (string Activation, float[] Parameters) Read(OpContext context)
    {
        string activation = context.String("activation");
        var parameters = context.Floats("activation_params") ?? [];
        if (!ParameterCounts.TryGetValue(activation, out int count))
        {
            throw new InvalidNodeException($"activation \"{activation}\" cannot be fused; expected one of {string.Join(", ", ParameterCounts.Keys)}");
        }
        if (parameters.Length != count)
        {
            throw new InvalidNodeException($"activation {activation} takes {count} parameters in activation_params, the node gives {parameters.Length}");
        }
        return (activation, parameters);
    }

    public static Tensor Apply(Tensor value, string activation, float[] parameters)
    {
        var attributes = activation switch
        {
            "LeakyRelu" => new Dictionary<string, AttributeValue> { ["alpha"] = parameters[0] },
            "Clip" => new Dictionary<string, AttributeValue> { ["min"] = parameters[0], ["max"] = parameters[1] },
            _ => null,
        };
        // Clip takes its bounds as attributes up to opset 10; the other three are the same in every opset.
        int opset = activation == "Clip" ? 6 : 13;
        var node = new Node($"fused-{activation}", activation, ["x"], ["y"], attributes);
        var op = OpRegistry.Default.Find("", activation)!;
        var result = ConstantEvaluator.TryEvaluate(node, op, opset, [value]);
        return result?[0] as Tensor ?? throw new InvalidNodeException($"the fused {activation} cannot be applied to a {value.Type}");
    }

    /// <summary>The attributes every fused layer adds to those of the layer it fuses.</summary>
    public static OpSignature.Builder AddAttributes(OpSignature.Builder builder) =>
        builder.Attr("activation", AttributeKind.String, required: true).Attr("activation_params", AttributeKind.Floats);

    /// <summary>Runs the standard layer op inside a fused node: the fused node's inputs and attributes, the layer's defaults.</summary>
    internal sealed class LayerContext(EvaluationContext outer, OpDefinition layer) : EvaluationContext
    {
        public Tensor? Result { get; private set; }
        public override Node Node => outer.Node;
        public override OpDefinition Op => layer;

        // The layer's semantics have been the same since these opsets; the fused node's own opset is Neurite's.
        public override int Opset => 13;
        public override int InputCount => outer.InputCount;
        public override int OutputCount => 1;
        public override IValue? InputValue(int index) => outer.InputValue(index);
        public override bool IsOutputUsed(int index) => index == 0;

        public override void SetOutput(int index, IValue value) => Result = index == 0 ? (Tensor)value : Result;

        public override T Cached<T>(object key, Func<T> create) => outer.Cached(key, create);

        public override IReadOnlyList<IValue> RunSubgraph(Graph subgraph, IReadOnlyList<IValue?> inputs) => outer.RunSubgraph(subgraph, inputs);
    }
}

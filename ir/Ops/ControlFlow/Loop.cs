namespace Neurite.Ir.Ops;

/// <summary>
/// Loop: runs its body while the trip count and the condition allow. The body takes
/// (iteration, condition, carried values...) and gives (condition, carried values..., scan outputs...);
/// the node gives the final carried values, then each scan output stacked over the iterations.
/// Spiking layers use it as their time loop, with membrane potentials as carried values.
/// </summary>
public sealed class Loop : OpDefinition
{
    public override string Name => "Loop";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Optional("M").Optional("cond").Variadic("v_initial", minCount: 0)
        .VariadicOutput("v_final_and_scan_outputs")
        .Attr("body", AttributeKind.Graph, required: true)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var body = context.GraphAttribute("body")!;
        int carried = context.InputCount - 2;
        var inputTypes = new List<IrType?>
        {
            new TensorType(ElementType.Int64, Shape.Scalar),
            new TensorType(ElementType.Bool, Shape.Scalar),
        };
        for (int i = 0; i < carried; i++)
        {
            // A carried value may change shape from one iteration to the next: the body is typed
            // for any iteration, not only the first.
            inputTypes.Add(ControlFlowTypes.AnyIteration(context.InputType(2 + i)));
        }
        var outputs = context.InferSubgraph(body, inputTypes);
        var result = new List<IrType?>();
        for (int i = 0; i < context.OutputCount; i++)
        {
            int bodyOutput = 1 + i;
            var type = bodyOutput < outputs.Count ? outputs[bodyOutput] : null;
            // Carried values may change shape between iterations; keep only what the initial value and the body agree on.
            result.Add(i < carried ? ControlFlowTypes.Join(type, context.InputType(2 + i)) : ControlFlowTypes.Stacked(type));
        }
        return result;
    }

    public override void Evaluate(EvaluationContext context)
    {
        var body = context.GraphAttribute("body")!;
        long tripLimit = context.OptionalInput(0) is Tensor m ? m.GetInt64(0) : long.MaxValue;
        bool condition = context.OptionalInput(1) is not Tensor c || c.GetDouble(0) != 0;
        int carriedCount = context.InputCount - 2;
        var carried = new IValue?[Math.Max(carriedCount, 0)];
        for (int i = 0; i < carried.Length; i++)
        {
            carried[i] = context.InputValue(2 + i);
        }
        int scanCount = body.Outputs.Length - 1 - carried.Length;
        var scans = Enumerable.Range(0, Math.Max(scanCount, 0)).Select(_ => new List<Tensor>()).ToArray();

        var inputs = new IValue?[2 + carried.Length];
        for (long iteration = 0; iteration < tripLimit && condition; iteration++)
        {
            inputs[0] = Tensor.Create([iteration]).Reshape([]);
            inputs[1] = Tensor.Create([condition]).Reshape([]);
            carried.CopyTo(inputs, 2);
            var outputs = context.RunSubgraph(body, inputs);
            condition = outputs[0] is Tensor next ? next.GetDouble(0) != 0 : throw new InvalidNodeException("the loop body's condition output is not a tensor");
            for (int i = 0; i < carried.Length; i++)
            {
                carried[i] = outputs[1 + i];
            }
            for (int s = 0; s < scans.Length; s++)
            {
                scans[s].Add(outputs[1 + carried.Length + s] as Tensor
                    ?? throw new InvalidNodeException($"scan output {s} of the loop body is not a tensor"));
            }
        }
        for (int i = 0; i < carried.Length; i++)
        {
            context.SetOutput(i, carried[i] ?? throw new InvalidNodeException($"loop-carried value {i} has no initial value"));
        }
        for (int s = 0; s < scans.Length; s++)
        {
            // Without iterations only the body's declaration tells the element type and item shape.
            var declared = body.Outputs[1 + carried.Length + s].TensorType;
            var element = declared?.ElementType ?? ElementType.Float32;
            context.SetOutput(carried.Length + s, ControlFlowTypes.Stack(scans[s], 0, element, ControlFlowTypes.EmptyItemShape(declared)));
        }
    }
}

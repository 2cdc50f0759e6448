namespace Neurite.Ir.Ops;

/// <summary>If: runs then_branch or else_branch by a boolean scalar; the branch's outputs are the node's.</summary>
public sealed class If : OpDefinition
{
    public override string Name => "If";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("cond").VariadicOutput("outputs")
        .Attr("then_branch", AttributeKind.Graph, required: true)
        .Attr("else_branch", AttributeKind.Graph, required: true)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var thenTypes = context.InferSubgraph(context.GraphAttribute("then_branch")!, []);
        var elseTypes = context.InferSubgraph(context.GraphAttribute("else_branch")!, []);
        if (thenTypes.Count != elseTypes.Count)
        {
            throw new InvalidNodeException($"then_branch gives {thenTypes.Count} outputs but else_branch gives {elseTypes.Count}");
        }
        return thenTypes.Zip(elseTypes, ControlFlowTypes.Join).ToList();
    }

    public override void Evaluate(EvaluationContext context)
    {
        var condition = context.Input(0);
        if (condition.Length != 1)
        {
            throw new InvalidNodeException($"the condition must hold one element, it has shape [{string.Join(",", condition.Shape.ToArray())}]");
        }
        bool taken = condition.GetDouble(0) != 0;
        var branch = context.GraphAttribute(taken ? "then_branch" : "else_branch")!;
        var outputs = context.RunSubgraph(branch, []);
        if (outputs.Count != context.OutputCount)
        {
            throw new InvalidNodeException($"the node has {context.OutputCount} outputs but {(taken ? "then_branch" : "else_branch")} gives {outputs.Count}");
        }
        for (int i = 0; i < outputs.Count; i++)
        {
            context.SetOutput(i, outputs[i]);
        }
    }
}

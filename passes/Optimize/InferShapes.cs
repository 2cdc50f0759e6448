using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Records the type of every intermediate value of the main graph in its value_info, and sharpens
/// the declared output types with what inference computes. Shapes that depend on constant
/// computations (the Shape → Gather → Concat → Reshape chains exporters write) are known too,
/// because inference evaluates small constant subgraphs as it goes; fold-constants then turns
/// those chains into constants.
/// </summary>
public sealed class InferShapes : Pass
{
    public const string PassName = "infer-shapes";

    public override string Name => PassName;
    public override string Description => "record every value's inferred type and shape";
    public override GraphProperties Preserves => GraphProperties.All;
    public override GraphProperties Establishes => GraphProperties.ShapesInferred;

    public override Model Run(Model model, PassContext context)
    {
        var inference = TypeInference.Run(model, context.Registry);
        var errors = inference.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new NeuriteException(errors);
        }
        var graph = model.Graph;
        var valueInfo = graph.Nodes.SelectMany(n => n.Outputs)
            .Where(o => o.Length > 0 && !graph.Outputs.Any(x => x.Name == o))
            .Distinct()
            .Select(o => new ValueInfo(o, inference.Types.GetValueOrDefault(o) ?? graph.TypeOf(o)))
            .Where(v => v.Type is not null)
            .ToList();
        var outputs = graph.Outputs.Select(o => o with { Type = inference.Types.GetValueOrDefault(o.Name) ?? o.Type }).ToList();
        if (valueInfo.SequenceEqual(graph.ValueInfo) && outputs.SequenceEqual(graph.Outputs))
        {
            return model;
        }
        return model.WithGraph(graph.With(outputs: outputs, valueInfo: valueInfo));
    }
}

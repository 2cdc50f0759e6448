using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Applies rewrite rules to the main graph of a model until none fires (a fixed point): each sweep
/// visits every node once in order and applies the first rule that matches there; after a sweep
/// that changed something, dead nodes go and types are inferred again, so rules that need types
/// see the values earlier rewrites made. Subgraphs (If/Loop/Scan bodies) are deliberately left
/// as they are; values they capture keep their names.
/// </summary>
public static class RewriteEngine
{
    public static RewriteOutcome Run(Model model, IReadOnlyList<RewriteRule> rules, PassContext context, string passName)
    {
        var byOp = new Dictionary<(string, string), List<RewriteRule>>();
        foreach (var rule in rules)
        {
            foreach (var op in rule.Pattern.OpTypes)
            {
                var key = (rule.Pattern.Domain, op);
                if (!byOp.TryGetValue(key, out var list))
                {
                    byOp[key] = list = [];
                }
                list.Add(rule);
            }
        }
        var counts = rules.ToDictionary(r => r.Name, _ => 0);
        var editor = new GraphEditor(model.Graph, Types(model, context), model.OpsetOf);
        int initialEdits = editor.EditCount;
        for (int sweep = 0; ; sweep++)
        {
            if (sweep == context.Limits.MaxRewriteSweeps)
            {
                context.Report(Diagnostic.Warning("pass.no-fixed-point",
                    $"pass '{passName}' still rewrote after {sweep} sweeps and stopped there; the graph is correct but may not be fully optimised"));
                break;
            }
            bool changed = false;
            foreach (var node in editor.Nodes)
            {
                if (!editor.Contains(node) || !byOp.TryGetValue((node.Domain, node.OpType), out var candidates))
                {
                    continue;
                }
                foreach (var rule in candidates)
                {
                    int before = editor.EditCount;
                    if (rule.Pattern.MatchRoot(node, editor) is Match match && rule.Rewrite(match, editor))
                    {
                        counts[rule.Name]++;
                        changed = true;
                        break;
                    }
                    if (editor.EditCount != before)
                    {
                        throw new InvalidOperationException($"rule '{rule.Name}' declined but edited the graph");
                    }
                }
            }
            if (!changed)
            {
                break;
            }
            editor.RemoveDeadNodes();
            editor.SetTypes(Types(model.WithGraph(editor.Build()), context));
        }
        if (editor.EditCount == initialEdits)
        {
            return new RewriteOutcome(model, counts);
        }
        editor.RemoveDeadNodes();
        return new RewriteOutcome(model.WithGraph(editor.Build()), counts);
    }

    private static IReadOnlyDictionary<string, IrType> Types(Model model, PassContext context) =>
        TypeInference.Run(model, context.Registry).Types;
}

/// <summary>The rewritten model (the same instance when no rule fired) and how often each rule fired.</summary>
public sealed record RewriteOutcome(Model Model, IReadOnlyDictionary<string, int> Firings);

/// <summary>A pass made of rewrite rules applied to a fixed point.</summary>
public abstract class RewritePass : Pass
{
    public abstract IReadOnlyList<RewriteRule> Rules { get; }

    public override GraphProperties Preserves => GraphProperties.StaticShapes;

    public override Model Run(Model model, PassContext context) => RewriteEngine.Run(model, Rules, context, Name).Model;
}

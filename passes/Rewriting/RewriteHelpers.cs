using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>Small questions rewrites ask about nodes and values.</summary>
public static class RewriteHelpers
{
    /// <summary>
    /// Redirects every use of <paramref name="old"/> to <paramref name="replacement"/> unless that
    /// would need a new Identity to keep a graph output's name (then the rewrite gains nothing and
    /// would undo itself forever). Returns whether it redirected.
    /// </summary>
    public static bool TryForward(GraphEditor graph, string old, string replacement)
    {
        bool nameMustStay = graph.IsGraphOutput(old) || graph.IsCaptured(old);
        bool replacementCanTakeName = graph.Producer(replacement) is not null && !graph.IsGraphOutput(replacement) && !graph.IsCaptured(replacement);
        if (nameMustStay && !replacementCanTakeName)
        {
            return false;
        }
        graph.ReplaceAllUses(old, replacement);
        return true;
    }

    /// <summary>A node whose only live output is its first (the others absent or unread).</summary>
    public static bool OnlyFirstOutputUsed(Node node, GraphEditor graph) =>
        node.Outputs.Skip(1).All(o => o.Length == 0 || graph.UseCount(o) == 0);

    public static long IntAttr(Node node, string name, long fallback) => node.Attribute(name)?.AsInt() ?? fallback;

    public static float FloatAttr(Node node, string name, float fallback) => node.Attribute(name)?.AsFloat() ?? fallback;

    public static string StringAttr(Node node, string name, string fallback) => node.Attribute(name)?.AsString() ?? fallback;

    public static long[]? IntsAttr(Node node, string name) => node.Attribute(name)?.AsInts().ToArray();

    /// <summary>Every dimension known.</summary>
    public static bool IsStatic(TensorType? type) => type is not null && type.Shape.IsRankKnown && type.Shape.Dims.All(d => d.IsKnown);

    /// <summary>Two shapes are the same: equal known sizes, and symbolic dimensions with the same name.</summary>
    public static bool SameShape(TensorType? a, TensorType? b) =>
        a is not null && b is not null && a.Shape.IsRankKnown && b.Shape.IsRankKnown && a.Shape.Rank == b.Shape.Rank
        && Enumerable.Range(0, a.Shape.Rank).All(i => (a.Shape[i].IsKnown || a.Shape[i].IsSymbolic) && a.Shape[i] == b.Shape[i]);

    public static bool IsFloat32(Tensor tensor) => tensor.DataType == DataType.Float32;

    /// <summary>The attributes of a node with some replaced or added.</summary>
    public static Dictionary<string, AttributeValue> WithAttributes(Node node, params (string Name, AttributeValue Value)[] changes)
    {
        var attributes = node.Attributes.ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, value) in changes)
        {
            attributes[name] = value;
        }
        return attributes;
    }
}

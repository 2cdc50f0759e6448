using System.Collections.Immutable;
using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// A pattern over values of a graph, matched against a <see cref="GraphEditor"/>: any value, a
/// constant, or the output of a node of some op whose inputs match further patterns. Captures
/// name what a rewrite needs from the match.
/// <code>
///   // BatchNormalization whose input is a Conv read by nothing else
///   Pattern.Op("BatchNormalization", Pattern.Op("Conv").SingleUse().As("conv"),
///              Pattern.Constant("scale"), Pattern.Constant("bias"), Pattern.Constant("mean"), Pattern.Constant("var"))
/// </code>
/// </summary>
public abstract record Pattern
{
    public string? Capture { get; init; }

    public static OpPattern Op(string opType, params Pattern[] inputs) => new([opType], OpDomains.Onnx, [.. inputs]);

    public static OpPattern OneOf(IEnumerable<string> opTypes, params Pattern[] inputs) => new([.. opTypes], OpDomains.Onnx, [.. inputs]);

    public static AnyPattern Any(string? capture = null) => new() { Capture = capture };

    public static ConstantPattern Constant(string? capture = null, Func<Tensor, bool>? where = null) => new(where) { Capture = capture };

    /// <summary>Matches <paramref name="value"/> (a value name), adding captures to <paramref name="match"/>.</summary>
    internal abstract bool MatchValue(string value, GraphEditor graph, Match match);
}

/// <summary>Any value, present or absent (an empty optional input matches too).</summary>
public sealed record AnyPattern : Pattern
{
    internal override bool MatchValue(string value, GraphEditor graph, Match match)
    {
        if (Capture is not null)
        {
            match.Values[Capture] = value;
        }
        return true;
    }
}

/// <summary>A value known at compile time: an initializer or a Constant node's tensor.</summary>
public sealed record ConstantPattern(Func<Tensor, bool>? Where) : Pattern
{
    internal override bool MatchValue(string value, GraphEditor graph, Match match)
    {
        if (graph.Constant(value) is not Tensor tensor || (Where is not null && !Where(tensor)))
        {
            return false;
        }
        if (Capture is not null)
        {
            match.Values[Capture] = value;
            match.Constants[Capture] = tensor;
        }
        return true;
    }
}

/// <summary>
/// The first output of a node of one of <see cref="OpTypes"/>: its leading inputs match
/// <see cref="Inputs"/> (inputs beyond them are free), it passes <see cref="Where"/>, and when
/// <see cref="RequireSingleUse"/>, nothing but the matched consumer reads its output.
/// </summary>
public sealed record OpPattern(ImmutableArray<string> OpTypes, string Domain, ImmutableArray<Pattern> Inputs) : Pattern
{
    public bool RequireSingleUse { get; init; }
    public Func<Node, GraphEditor, bool>? Where { get; init; }

    public OpPattern As(string capture) => this with { Capture = capture };

    public OpPattern SingleUse() => this with { RequireSingleUse = true };

    public OpPattern If(Func<Node, GraphEditor, bool> where) => this with { Where = Where is null ? where : (n, g) => Where(n, g) && where(n, g) };

    public OpPattern InDomain(string domain) => this with { Domain = OpDomains.Normalize(domain) };

    /// <summary>Matches a node as the root of a rewrite (single use does not apply to the root).</summary>
    public Match? MatchRoot(Node node, GraphEditor graph)
    {
        var match = new Match(node);
        return MatchNode(node, graph, match) ? match : null;
    }

    internal override bool MatchValue(string value, GraphEditor graph, Match match)
    {
        if (graph.Producer(value) is not Node node || node.Outputs[0] != value)
        {
            return false;
        }
        if (RequireSingleUse && !graph.HasSingleUse(value))
        {
            return false;
        }
        return MatchNode(node, graph, match);
    }

    private bool MatchNode(Node node, GraphEditor graph, Match match)
    {
        if (node.Domain != Domain || !OpTypes.Contains(node.OpType) || node.Inputs.Length < Inputs.Length)
        {
            return false;
        }
        for (int i = 0; i < Inputs.Length; i++)
        {
            if (!Inputs[i].MatchValue(node.Inputs[i], graph, match))
            {
                return false;
            }
        }
        if (Where is not null && !Where(node, graph))
        {
            return false;
        }
        if (Capture is not null)
        {
            match.Nodes[Capture] = node;
            match.Values[Capture] = node.Outputs[0];
        }
        return true;
    }
}

/// <summary>What a pattern matched: the root node and every capture by name.</summary>
public sealed class Match(Node root)
{
    public Node Root { get; } = root;
    public Dictionary<string, Node> Nodes { get; } = [];
    public Dictionary<string, string> Values { get; } = [];
    public Dictionary<string, Tensor> Constants { get; } = [];

    public Node Node(string capture) => Nodes[capture];
    public string Value(string capture) => Values[capture];
    public Tensor Constant(string capture) => Constants[capture];
}

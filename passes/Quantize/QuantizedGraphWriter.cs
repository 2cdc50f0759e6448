using Neurite.Ir;

namespace Neurite.Passes.Quantize;

/// <summary>
/// The graph a quantiser writes while it walks the float graph in order: the nodes it keeps or
/// replaces, the constants it adds (scales, zero points, quantised weights), the types it
/// declares for the values it makes, and names no value of the original uses. Assembled, it keeps
/// only the original initializers something still reads and declares the neurite domain.
/// </summary>
internal sealed class QuantizedGraphWriter(Model model)
{
    private readonly List<Initializer> added = [];
    private readonly List<ValueInfo> declared = [];

    public FreshNames Names { get; } = new(model.Graph);

    public List<Node> Nodes { get; } = [];

    public string Fresh(string hint) => Names.Next(hint);

    /// <summary>Adds a constant under a fresh name made from <paramref name="hint"/> and returns that name.</summary>
    public string Constant(string hint, Tensor value)
    {
        string name = Names.Next(hint);
        added.Add(new Initializer(name, value));
        return name;
    }

    /// <summary>Declares a value's type (its quantised or fixed-point scheme) in the graph's value_info.</summary>
    public void Declare(string name, TensorType type) => declared.Add(new ValueInfo(name, type));

    public Model Assemble()
    {
        var graph = model.Graph;
        var read = Nodes.SelectMany(GraphAlgorithms.ReadsOf).Concat(graph.Outputs.Select(o => o.Name)).ToHashSet();
        var initializers = graph.Initializers.Where(i => read.Contains(i.Name)).Concat(added);
        var result = graph.With(nodes: Nodes, initializers: initializers, valueInfo: graph.ValueInfo.Concat(declared));
        var opsets = model.Opsets.ToDictionary(p => p.Key, p => p.Value);
        opsets[OpDomains.Neurite] = 1;
        return new Model(result, opsets, model.Metadata);
    }
}

/// <summary>Names no input, initializer, node or value of a graph uses yet, made from a hint (<c>hint</c>, <c>hint_1</c>, ...).</summary>
internal sealed class FreshNames(Graph graph)
{
    private readonly HashSet<string> used = [.. graph.Inputs.Select(i => i.Name), .. graph.Initializers.Select(i => i.Name),
        .. graph.Nodes.SelectMany(n => n.Outputs), .. graph.Nodes.Select(n => n.Name)];

    public string Next(string hint)
    {
        string name = hint;
        for (int i = 1; !used.Add(name); i++)
        {
            name = $"{hint}_{i}";
        }
        return name;
    }
}

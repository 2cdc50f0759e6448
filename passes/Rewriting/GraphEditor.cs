using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// A mutable working copy of one graph level, for rewrites: who produces and who reads every
/// value, constants by name, types from the last inference, and the edits a rewrite needs (add
/// nodes and constants, redirect every use of a value, drop what became dead). Subgraphs are not
/// entered; a value a subgraph captures counts as used and keeps its name through every edit.
/// <see cref="Build"/> turns it back into an immutable <see cref="Graph"/> in topological order.
/// </summary>
public sealed class GraphEditor
{
    private readonly Graph original;
    private readonly List<Node?> slots = [];
    private readonly Dictionary<Node, int> slotOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> producers = [];
    private readonly Dictionary<string, List<int>> consumers = [];
    private readonly HashSet<string> captured = [];
    private readonly HashSet<string> graphInputs;
    private readonly Dictionary<string, int> graphOutputCount = [];
    private readonly List<string> initializerOrder = [];
    private readonly Dictionary<string, Tensor> initializers = [];
    private readonly HashSet<string> takenNames = [];
    private readonly HashSet<int> possiblyDead = [];
    private IReadOnlyDictionary<string, IrType> types;
    private readonly Func<string, int?> opsetOf;
    private int edits;

    public GraphEditor(Graph graph, IReadOnlyDictionary<string, IrType>? inferredTypes = null, Func<string, int?>? opsetOf = null)
    {
        original = graph;
        this.opsetOf = opsetOf ?? (_ => null);
        types = inferredTypes ?? new Dictionary<string, IrType>();
        graphInputs = graph.Inputs.Select(i => i.Name).ToHashSet();
        foreach (var output in graph.Outputs)
        {
            graphOutputCount[output.Name] = graphOutputCount.GetValueOrDefault(output.Name) + 1;
        }
        foreach (var init in graph.Initializers)
        {
            if (initializers.TryAdd(init.Name, init.Value))
            {
                initializerOrder.Add(init.Name);
            }
        }
        takenNames.UnionWith(graph.DefinedNames);
        takenNames.UnionWith(graph.Nodes.Select(n => n.Name));
        foreach (var node in graph.Nodes)
        {
            slots.Add(null);
            Attach(slots.Count - 1, node);
        }
    }

    /// <summary>How many edits have been made: a rewrite that changed nothing leaves it unchanged.</summary>
    public int EditCount => edits;

    /// <summary>The live nodes in their current order (a snapshot: editing while iterating is safe).</summary>
    public IReadOnlyList<Node> Nodes => slots.Where(n => n is not null).Select(n => n!).ToList();

    public bool Contains(Node node) => slotOf.ContainsKey(node);

    /// <summary>Slots keep their place through edits: the node now at a slot (null when removed), for passes that walk the graph once in order.</summary>
    public Node? NodeAt(int slot) => slots[slot];

    public int SlotCount => slots.Count;

    public Node? Producer(string value) => producers.TryGetValue(value, out int slot) ? slots[slot] : null;

    /// <summary>The nodes that read <paramref name="value"/> as an input (each once, however often it reads it).</summary>
    public IReadOnlyList<Node> Consumers(string value) =>
        consumers.TryGetValue(value, out var list) ? list.Distinct().Select(s => slots[s]!).ToList() : [];

    /// <summary>The opset the model imports for a domain (op semantics differ between versions), or null when unknown.</summary>
    public int? OpsetOf(string domain) => opsetOf(domain);

    public bool IsGraphOutput(string value) => graphOutputCount.ContainsKey(value);

    public bool IsGraphInput(string value) => graphInputs.Contains(value);

    /// <summary>A subgraph of some node reads this value by name, so it must keep that name.</summary>
    public bool IsCaptured(string value) => captured.Contains(value);

    /// <summary>Readers of a value: consuming nodes, plus one for being a graph output, plus one for being captured.</summary>
    public int UseCount(string value) =>
        (consumers.TryGetValue(value, out var list) ? list.Distinct().Count() : 0)
        + (IsGraphOutput(value) ? 1 : 0) + (IsCaptured(value) ? 1 : 0);

    /// <summary>Exactly one node reads the value and nothing else sees it: a rewrite may fold its producer away.</summary>
    public bool HasSingleUse(string value) => UseCount(value) == 1 && !IsGraphOutput(value) && !IsCaptured(value);

    public bool IsInitializer(string value) => initializers.ContainsKey(value);

    /// <summary>The constant value of a name: an initializer, or the output of a Constant node holding a tensor.</summary>
    public Tensor? Constant(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }
        if (initializers.TryGetValue(value, out var tensor))
        {
            return tensor;
        }
        return Producer(value) is { OpType: "Constant", Domain: "" } constant && constant.Attribute("value") is { Kind: AttributeKind.Tensor } attribute
            ? attribute.AsTensor()
            : null;
    }

    /// <summary>The type of a value from the last inference (values made since are unknown until the next one), or a constant's type.</summary>
    public IrType? TypeOf(string value) => types.TryGetValue(value, out var type) ? type : Constant(value)?.Type;

    public TensorType? TensorTypeOf(string value) => TypeOf(value) as TensorType;

    public void SetTypes(IReadOnlyDictionary<string, IrType> inferred) => types = inferred;

    /// <summary>A name no value or node of this graph uses yet, built from <paramref name="hint"/>.</summary>
    public string FreshName(string hint)
    {
        string name = hint;
        for (int n = 1; !takenNames.Add(name); n++)
        {
            name = $"{hint}_{n}";
        }
        return name;
    }

    public string AddInitializer(string hint, Tensor value)
    {
        string name = FreshName(hint);
        initializers[name] = value;
        initializerOrder.Add(name);
        edits++;
        return name;
    }

    /// <summary>Adds a node with fresh output names derived from <paramref name="nameHint"/> and returns them.</summary>
    public string[] AddNode(string opType, IReadOnlyList<string> inputs, int outputCount, IEnumerable<KeyValuePair<string, AttributeValue>>? attributes = null,
        string nameHint = "", string domain = "")
    {
        string stem = nameHint.Length > 0 ? nameHint : opType.ToLowerInvariant();
        string nodeName = FreshName(stem);
        var outputs = Enumerable.Range(0, outputCount).Select(i => FreshName(outputCount == 1 ? $"{stem}_out" : $"{stem}_out{i}")).ToArray();
        Insert(new Node(nodeName, opType, inputs, outputs, attributes, domain));
        edits++;
        return outputs;
    }

    public string AddNode(string opType, IReadOnlyList<string> inputs, IEnumerable<KeyValuePair<string, AttributeValue>>? attributes = null,
        string nameHint = "", string domain = "") => AddNode(opType, inputs, 1, attributes, nameHint, domain)[0];

    /// <summary>Adds a node built by the caller; its outputs must be fresh names (see <see cref="FreshName"/>).</summary>
    public void AddNode(Node node)
    {
        foreach (var output in node.Outputs.Where(o => o.Length > 0 && producers.ContainsKey(o)))
        {
            throw new ArgumentException($"'{output}' is already defined in graph '{original.Name}'");
        }
        Insert(node);
        edits++;
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="node"/> was; it must define every output the node defined.</summary>
    public void ReplaceNode(Node node, Node replacement)
    {
        if (!node.Outputs.Where(o => o.Length > 0).All(replacement.Outputs.Contains))
        {
            throw new ArgumentException($"replacement of '{node.Name}' must keep its outputs ({string.Join(", ", node.Outputs)})");
        }
        int slot = slotOf[node];
        Detach(slot);
        Attach(slot, replacement);
        edits++;
        MarkInputsPossiblyDead(node);
    }

    /// <summary>Removes a node whose outputs nothing reads any more.</summary>
    public void RemoveNode(Node node)
    {
        foreach (var output in node.Outputs.Where(o => o.Length > 0))
        {
            if (UseCount(output) > 0)
            {
                throw new InvalidOperationException($"cannot remove '{node.Name}': its output '{output}' is still read");
            }
        }
        int slot = slotOf[node];
        Detach(slot);
        slots[slot] = null;
        edits++;
        MarkInputsPossiblyDead(node);
    }

    /// <summary>
    /// Makes every reader of <paramref name="old"/> read <paramref name="replacement"/> instead. When
    /// <paramref name="old"/> is a graph output or captured by a subgraph, its name is kept: the
    /// replacement's producer takes the name when it can, else an Identity defines it.
    /// </summary>
    public void ReplaceAllUses(string old, string replacement)
    {
        if (old == replacement)
        {
            return;
        }
        foreach (var consumer in Consumers(old))
        {
            var inputs = consumer.Inputs.Select(i => i == old ? replacement : i);
            Swap(consumer, consumer.With(inputs: inputs));
        }
        edits++;
        if (producers.TryGetValue(old, out int oldProducer))
        {
            possiblyDead.Add(oldProducer);
        }
        if (!IsGraphOutput(old) && !IsCaptured(old))
        {
            return;
        }
        if (Producer(old) is not Node producer)
        {
            throw new InvalidOperationException($"graph output '{old}' is an input or constant and cannot be replaced");
        }
        RenameOutput(producer, old, FreshName($"{old}_unused"));
        if (Producer(replacement) is Node newProducer && !IsGraphOutput(replacement) && !IsCaptured(replacement))
        {
            foreach (var consumer in Consumers(replacement))
            {
                Swap(consumer, consumer.With(inputs: consumer.Inputs.Select(i => i == replacement ? old : i)));
            }
            RenameOutput(newProducer, replacement, old);
        }
        else
        {
            Insert(new Node(FreshName($"{old}_identity"), "Identity", [replacement], [old]));
        }
    }

    /// <summary>Drops nodes (and initializers) that the edits so far left without readers, transitively.</summary>
    public void RemoveDeadNodes()
    {
        var pending = new Stack<int>(possiblyDead);
        possiblyDead.Clear();
        while (pending.Count > 0)
        {
            int slot = pending.Pop();
            if (slots[slot] is not Node node || node.Outputs.Any(o => o.Length > 0 && UseCount(o) > 0))
            {
                continue;
            }
            Detach(slot);
            slots[slot] = null;
            edits++;
            foreach (var input in node.Inputs.Where(i => i.Length > 0))
            {
                if (producers.TryGetValue(input, out int producer))
                {
                    pending.Push(producer);
                }
                else if (initializers.ContainsKey(input) && UseCount(input) == 0 && !IsGraphInput(input))
                {
                    initializers.Remove(input);
                }
            }
        }
    }

    /// <summary>The edited graph: live nodes in topological order, initializers still present, types still meaningful.</summary>
    public Graph Build()
    {
        var nodes = slots.Where(n => n is not null).Select(n => n!).ToList();
        var defined = new HashSet<string>(nodes.SelectMany(n => n.Outputs));
        var valueInfo = original.ValueInfo.Where(v => defined.Contains(v.Name) && !IsGraphOutput(v.Name));
        var graph = original.With(
            nodes: nodes,
            initializers: initializerOrder.Where(initializers.ContainsKey).Select(n => new Initializer(n, initializers[n])),
            valueInfo: valueInfo);
        var order = GraphAlgorithms.TopologicalOrder(graph)
            ?? throw new InvalidOperationException($"a rewrite made graph '{graph.Name}' cyclic");
        return order is System.Collections.Immutable.ImmutableArray<Node> ? graph : graph.With(nodes: order);
    }

    private void Insert(Node node)
    {
        slots.Add(null);
        Attach(slots.Count - 1, node);
        possiblyDead.Add(slots.Count - 1);
    }

    private void Attach(int slot, Node node)
    {
        slots[slot] = node;
        slotOf[node] = slot;
        takenNames.Add(node.Name);
        foreach (var output in node.Outputs.Where(o => o.Length > 0))
        {
            producers[output] = slot;
            takenNames.Add(output);
        }
        foreach (var input in node.Inputs.Where(i => i.Length > 0))
        {
            if (!consumers.TryGetValue(input, out var list))
            {
                consumers[input] = list = [];
            }
            list.Add(slot);
        }
        foreach (var subgraph in node.Subgraphs)
        {
            captured.UnionWith(GraphAlgorithms.FreeVariables(subgraph));
        }
    }

    private void Detach(int slot)
    {
        var node = slots[slot]!;
        slotOf.Remove(node);
        foreach (var output in node.Outputs.Where(o => o.Length > 0))
        {
            if (producers.TryGetValue(output, out int s) && s == slot)
            {
                producers.Remove(output);
            }
        }
        foreach (var input in node.Inputs.Where(i => i.Length > 0))
        {
            consumers[input].Remove(slot);
        }
    }

    private void Swap(Node node, Node replacement)
    {
        int slot = slotOf[node];
        Detach(slot);
        Attach(slot, replacement);
    }

    private void RenameOutput(Node node, string from, string to)
    {
        Swap(node, node.With(outputs: node.Outputs.Select(o => o == from ? to : o)));
        edits++;
    }

    private void MarkInputsPossiblyDead(Node node)
    {
        foreach (var input in node.Inputs.Where(i => i.Length > 0))
        {
            if (producers.TryGetValue(input, out int producer))
            {
                possiblyDead.Add(producer);
            }
            else if (initializers.ContainsKey(input) && UseCount(input) == 0 && !IsGraphInput(input))
            {
                initializers.Remove(input);
            }
        }
    }
}

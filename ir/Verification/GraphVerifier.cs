namespace Neurite.Ir;

/// <summary>
/// Checks a model before anything runs or transforms it: every value defined once and before
/// use, no cycles, every op known in the opset the model imports, node arity and attributes as
/// the op's signature says, and types and shapes consistent. Frontends call it after import;
/// passes call it after every rewrite in test mode.
/// </summary>
public static class GraphVerifier
{
    public static IReadOnlyList<Diagnostic> Verify(Model model, OpRegistry? registry = null, bool inferTypes = true)
    {
        registry ??= OpRegistry.Default;
        var diagnostics = new List<Diagnostic>();
        CheckOpsets(model, registry, diagnostics);
        CheckGraph(model, model.Graph, outer: new HashSet<string>(), registry, diagnostics);
        if (inferTypes && !diagnostics.Any(d => d.Severity == Severity.Error))
        {
            diagnostics.AddRange(TypeInference.Run(model, registry).Diagnostics);
        }
        return diagnostics;
    }

    private static void CheckOpsets(Model model, OpRegistry registry, List<Diagnostic> diagnostics)
    {
        foreach (var (domain, version) in model.Opsets)
        {
            if (version < 1)
            {
                diagnostics.Add(Diagnostic.Error("model.opset", $"domain '{OpDomains.Display(domain)}' is imported at opset {version}"));
            }
        }
    }

    private static void CheckGraph(Model model, Graph graph, IReadOnlySet<string> outer, OpRegistry registry, List<Diagnostic> diagnostics)
    {
        var defined = new HashSet<string>();
        void Define(string name, string what, Node? node)
        {
            if (!defined.Add(name))
            {
                diagnostics.Add(Diagnostic.Error("graph.duplicate-value",
                    $"value '{name}' ({what}) is defined more than once in graph '{graph.Name}'; each value is defined once",
                    node is null ? null : SourceLocation.OfNode(node)));
            }
        }
        foreach (var input in graph.Inputs)
        {
            Define(input.Name, "graph input", null);
        }
        foreach (var init in graph.Initializers)
        {
            Define(init.Name, "initializer", null);
        }
        foreach (var node in graph.Nodes)
        {
            foreach (var output in node.Outputs.Where(o => o.Length > 0))
            {
                Define(output, $"output of {node.OpType}", node);
            }
        }

        var visible = new HashSet<string>(outer);
        visible.UnionWith(defined);
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Where(i => i.Length > 0))
            {
                if (!visible.Contains(input))
                {
                    diagnostics.Add(Diagnostic.Error("graph.undefined-value",
                        $"input '{input}' is not defined: no graph input, initializer or node output has that name", SourceLocation.OfNode(node)));
                }
            }
            CheckNode(model, node, registry, diagnostics);
            foreach (var subgraph in node.Subgraphs)
            {
                CheckGraph(model, subgraph, visible, registry, diagnostics);
            }
        }
        foreach (var output in graph.Outputs)
        {
            if (!visible.Contains(output.Name))
            {
                diagnostics.Add(Diagnostic.Error("graph.undefined-output", $"graph output '{output.Name}' of graph '{graph.Name}' is not computed by any node"));
            }
        }
        foreach (var cycle in GraphAlgorithms.Cycles(graph))
        {
            diagnostics.Add(Diagnostic.Error("graph.cycle",
                $"nodes depend on each other in a cycle: {string.Join(" -> ", cycle.Select(n => $"'{n.Name}' ({n.OpType})"))}",
                SourceLocation.OfNode(cycle[0])));
        }
    }

    private static void CheckNode(Model model, Node node, OpRegistry registry, List<Diagnostic> diagnostics)
    {
        var where = SourceLocation.OfNode(node);
        int? opset = model.OpsetOf(node.Domain);
        var op = registry.Find(node.Domain, node.OpType);
        string domain = OpDomains.Display(node.Domain);
        if (op is null)
        {
            string version = opset is int v ? $"opset {v}" : "a domain the model does not import";
            diagnostics.Add(registry.KnowsDomain(node.Domain)
                ? Diagnostic.Error("op.unknown", $"op '{node.OpType}' of domain '{domain}' ({version}) is not supported", where)
                : Diagnostic.Error("op.unknown-domain", $"op '{node.OpType}' is in domain '{domain}' ({version}), which Neurite does not support", where));
            return;
        }
        if (opset is null)
        {
            diagnostics.Add(Diagnostic.Error("op.domain-not-imported", $"the model does not import domain '{domain}' that op '{node.OpType}' belongs to", where));
            return;
        }
        if (opset < op.SinceVersion)
        {
            diagnostics.Add(Diagnostic.Error("op.opset-unsupported",
                $"op '{node.OpType}' is supported from opset {op.SinceVersion} of '{domain}'; the model imports opset {opset}", where));
            return;
        }
        CheckArity(node, op.Signature, where, diagnostics);
        CheckAttributes(node, op.Signature, where, diagnostics);
    }

    private static void CheckArity(Node node, OpSignature signature, SourceLocation where, List<Diagnostic> diagnostics)
    {
        int inputs = node.Inputs.Length;
        if (inputs < signature.MinInputs || inputs > signature.MaxInputs)
        {
            diagnostics.Add(Diagnostic.Error("op.arity",
                $"{node.OpType} takes {Range(signature.MinInputs, signature.MaxInputs, "input")}, the node has {inputs}", where));
        }
        for (int i = 0; i < Math.Min(inputs, signature.Inputs.Length); i++)
        {
            if (signature.Inputs[i].Arity == Arity.Single && node.Inputs[i].Length == 0)
            {
                diagnostics.Add(Diagnostic.Error("op.arity", $"{node.OpType} requires input {i} ('{signature.Inputs[i].Name}'), the node leaves it empty", where));
            }
        }
        int outputs = node.Outputs.Length;
        bool producesNothing = outputs == 0 && signature.MaxOutputs > 0;
        if (producesNothing || outputs > signature.MaxOutputs)
        {
            diagnostics.Add(Diagnostic.Error("op.arity",
                $"{node.OpType} gives {Range(Math.Min(1, signature.MaxOutputs), signature.MaxOutputs, "output")}, the node has {outputs}", where));
        }
    }

    private static void CheckAttributes(Node node, OpSignature signature, SourceLocation where, List<Diagnostic> diagnostics)
    {
        foreach (var (name, value) in node.Attributes)
        {
            var spec = signature.FindAttribute(name);
            if (spec is null)
            {
                string known = signature.Attributes.Length == 0 ? "it takes none" : $"it takes {string.Join(", ", signature.Attributes.Select(a => a.Name))}";
                diagnostics.Add(Diagnostic.Warning("op.unknown-attribute", $"{node.OpType} has no attribute '{name}' ({known}); it is ignored", where));
                continue;
            }
            if (!Compatible(spec.Kind, value.Kind))
            {
                diagnostics.Add(Diagnostic.Error("op.attribute-kind",
                    $"attribute '{name}' of {node.OpType} must be {Describe(spec.Kind)}, the node gives {Describe(value.Kind)}", where));
            }
        }
        foreach (var spec in signature.Attributes.Where(a => a.Required))
        {
            if (!node.Attributes.ContainsKey(spec.Name))
            {
                diagnostics.Add(Diagnostic.Error("op.missing-attribute", $"{node.OpType} requires attribute '{spec.Name}' ({Describe(spec.Kind)})", where));
            }
        }
    }

    /// <summary>Kinds that read as each other: an int where a float is expected, a single value where a list is.</summary>
    private static bool Compatible(AttributeKind expected, AttributeKind given) => expected == given || (expected, given) switch
    {
        (AttributeKind.Float, AttributeKind.Int) => true,
        (AttributeKind.Floats, AttributeKind.Ints or AttributeKind.Float) => true,
        (AttributeKind.Ints, AttributeKind.Int) => true,
        (AttributeKind.Strings, AttributeKind.String) => true,
        _ => false,
    };

    private static string Describe(AttributeKind kind) => kind switch
    {
        AttributeKind.Float => "a float",
        AttributeKind.Int => "an int",
        AttributeKind.String => "a string",
        AttributeKind.Tensor => "a tensor",
        AttributeKind.Graph => "a graph",
        AttributeKind.Type => "a type",
        _ => $"a list of {kind.ToString().ToLowerInvariant()}",
    };

    /// <summary>"1 input", "2 to 3 inputs", "at least 1 input": the count as a user reads it.</summary>
    private static string Range(int min, int max, string noun) =>
        max == int.MaxValue ? $"at least {min} {noun}{(min == 1 ? "" : "s")}"
        : min == max ? $"{min} {noun}{(min == 1 ? "" : "s")}"
        : $"{min} to {max} {noun}s";
}

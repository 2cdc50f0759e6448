using Antlr4.Runtime;
using Neurite.Frontend.Dsl.Generated;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// Builds one graph (the model's body or a subgraph) from its signature and statements. Names
/// follow the surface language: a name may be assigned again (<c>h = ...; h = h |> relu</c>);
/// each assignment is a fresh SSA value, and the last one keeps the written name so graph
/// outputs are found under theirs. Unknown names are looked up in the <c>params</c> archives.
/// Every problem is reported and building goes on, so one run shows them all.
/// </summary>
internal sealed class GraphBody
{
    private readonly ModelBuilder model;
    private readonly GraphBody? parent;
    private readonly GraphBuilder builder;
    private readonly string name;
    private readonly Dictionary<string, string> bindings = new(StringComparer.Ordinal);
    private readonly HashSet<string> defined = new(StringComparer.Ordinal);
    private readonly HashSet<string> fixedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> remainingDefinitions = new(StringComparer.Ordinal);
    private readonly List<(string Location, IReadOnlyDictionary<string, Tensor> Arrays)> archives = [];
    private readonly AttributeReader attributes;
    private readonly OpCallReader opCalls;
    private string docString = "";
    private string constantStem = "value";

    public GraphBody(ModelBuilder model, GraphBody? parent, string name)
    {
        this.model = model;
        this.parent = parent;
        this.name = name;
        builder = new GraphBuilder(name);
        attributes = new AttributeReader(model.Problems, model.Tensors, BuildSubgraph);
        opCalls = new OpCallReader(model, attributes, Resolve, AddConstant);
    }

    private DslProblems Problems => model.Problems;

    public Graph? Build(NeuriteParser.SignatureContext signature, NeuriteParser.BlockContext block, ModelBuilder? modelLevel)
    {
        // signature : '(' inputs? ')' '->' '(' outputs? ')': a list before the arrow declares inputs, after it outputs.
        int arrow = signature.ARROW().Symbol.TokenIndex;
        var declarations = signature.valueDecls();
        var inputs = declarations.Where(d => d.Start.TokenIndex < arrow).SelectMany(d => d.valueDecl()).ToArray();
        var outputs = declarations.Where(d => d.Start.TokenIndex > arrow).SelectMany(d => d.valueDecl()).ToArray();

        CountDefinitions(block);
        foreach (var input in inputs)
        {
            string inputName = DslNames.Unquote(input.name().GetText());
            var type = input.type() is { } t ? DslTypes.Read(t, Problems) : null;
            if (!defined.Add(inputName))
            {
                Problems.Error(input, "dsl.redefined", $"input '{inputName}' is declared twice");
                continue;
            }
            // A subgraph input may leave its type to inference (ONNX allows it); the builder takes it as given.
            builder.Input(inputName, type!);
            bindings[inputName] = inputName;
            fixedNames.Add(inputName);
        }

        foreach (var statement in block.statement())
        {
            Statement(statement, modelLevel);
        }

        foreach (var output in outputs)
        {
            string outputName = DslNames.Unquote(output.name().GetText());
            var type = output.type() is { } t ? DslTypes.Read(t, Problems) : null;
            string? value = Lookup(outputName);
            if (value is null)
            {
                Problems.Error(output, "dsl.output", $"output '{outputName}' is never assigned in {Describe()}");
                continue;
            }
            if (value != outputName)
            {
                Problems.Error(output, "dsl.output", $"output '{outputName}' must be computed under its own name, but that name is taken by an input or parameter of {Describe()}");
                continue;
            }
            builder.Output(outputName, type);
        }
        if (Problems.HasErrors)
        {
            return null;
        }
        var graph = builder.Build();
        return docString.Length == 0 ? graph
            : new Graph(graph.Name, graph.Inputs, graph.Outputs, graph.Nodes, graph.Initializers, graph.ValueInfo, docString);
    }

    private string Describe() => parent is null ? $"model '{name}'" : $"graph '{name}'";

    private void CountDefinitions(NeuriteParser.BlockContext block)
    {
        foreach (var statement in block.statement())
        {
            foreach (var target in statement.assignment()?.targets().target() ?? [])
            {
                if (target.name().GetText() is var text && text != DslNames.Absent)
                {
                    string surface = DslNames.Unquote(text);
                    remainingDefinitions[surface] = remainingDefinitions.GetValueOrDefault(surface) + 1;
                }
            }
        }
    }

    private void Statement(NeuriteParser.StatementContext statement, ModelBuilder? modelLevel)
    {
        if (statement.assignment() is { } assignment)
        {
            Assignment(assignment);
        }
        else if (statement.paramStatement() is { } param)
        {
            Parameter(param);
        }
        else if (statement.paramsStatement() is { } paramsFile)
        {
            var token = paramsFile.STRING().Symbol;
            string location = DslNames.UnquoteString(token.Text);
            if (model.Files.Archive(location, token) is { } arrays)
            {
                archives.Add((location, arrays));
            }
        }
        else if (statement.typeStatement() is { } annotation)
        {
            // The value may be defined anywhere (an input, a parameter, an outer graph's value): only its type is recorded here.
            if (DslTypes.Read(annotation.type(), Problems) is { } type)
            {
                builder.Annotate(DslNames.Unquote(annotation.name().GetText()), type);
            }
        }
        else if (statement.docStatement() is { } doc)
        {
            docString = DslNames.UnquoteString(doc.STRING().GetText());
        }
        else if (modelLevel is null)
        {
            string keyword = statement.opsetStatement() is not null ? "opset" : "meta";
            Problems.Error(statement, "dsl.statement", $"'{keyword}' belongs to the model's body, not to graph '{name}'");
        }
        else if (statement.opsetStatement() is { } opset)
        {
            modelLevel.Opset(opset);
        }
        else if (statement.metaStatement() is { } meta)
        {
            modelLevel.Meta(meta);
        }
    }

    // ------------------------------------------------------------ names

    private bool IsTaken(string ssaName) => defined.Contains(ssaName) || (parent?.IsTaken(ssaName) ?? false);

    /// <summary>The SSA value a written name refers to here, or null when nothing defines it.</summary>
    private string? Lookup(string surface)
    {
        for (var body = this; body is not null; body = body.parent)
        {
            if (body.bindings.TryGetValue(surface, out string? value))
            {
                return value;
            }
        }
        for (var body = this; body is not null; body = body.parent)
        {
            foreach (var (_, arrays) in body.archives)
            {
                if (arrays.TryGetValue(surface, out var tensor) && !body.IsTaken(surface))
                {
                    body.builder.Initializer(surface, tensor);
                    body.defined.Add(surface);
                    body.fixedNames.Add(surface);
                    body.bindings[surface] = surface;
                    return surface;
                }
            }
        }
        return null;
    }

    private string? Resolve(NeuriteParser.NameContext context)
    {
        string text = context.GetText();
        if (text == DslNames.Absent)
        {
            return "";
        }
        string surface = DslNames.Unquote(text);
        if (Lookup(surface) is { } value)
        {
            return value;
        }
        if (remainingDefinitions.GetValueOrDefault(surface) == 1 && !fixedNames.Contains(surface) && !IsTaken(surface))
        {
            // Used before its only assignment: ONNX files may list nodes in any order, and a name
            // assigned once keeps its own name, so the reference is unambiguous (the verifier rejects cycles).
            return surface;
        }
        Problems.Error(context, "dsl.undefined", $"'{surface}' is not defined: no input, parameter or earlier assignment has that name{DslProblems.Suggest(surface, VisibleNames())}");
        return null;
    }

    private IEnumerable<string> VisibleNames()
    {
        for (var body = this; body is not null; body = body.parent)
        {
            foreach (string key in body.bindings.Keys)
            {
                yield return key;
            }
            foreach (var (_, arrays) in body.archives)
            {
                foreach (string key in arrays.Keys)
                {
                    yield return key;
                }
            }
        }
    }

    /// <summary>The SSA name for the next assignment to <paramref name="surface"/>: its own name on the last assignment, a fresh one before.</summary>
    private string Define(string surface)
    {
        string ssa = NextName(surface);
        remainingDefinitions[surface] = remainingDefinitions.GetValueOrDefault(surface) - 1;
        defined.Add(ssa);
        bindings[surface] = ssa;
        return ssa;
    }

    /// <summary>The name <see cref="Define"/> will give <paramref name="surface"/> next, without giving it.</summary>
    private string NextName(string surface) =>
        remainingDefinitions.GetValueOrDefault(surface) <= 1 && !fixedNames.Contains(surface) && !IsTaken(surface) ? surface : Fresh(surface);

    private string Fresh(string stem)
    {
        for (int k = 1; ; k++)
        {
            string candidate = $"{stem}_{k}";
            if (!IsTaken(candidate) && !model.WrittenNames.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private string Intermediate(string stem)
    {
        string name = !IsTaken(stem) && !model.WrittenNames.Contains(stem) ? stem : Fresh(stem);
        defined.Add(name);
        return name;
    }

    /// <summary>A literal input as a parameter named after the value being computed: y.const, y.const_1, ...</summary>
    private string AddConstant(Tensor value)
    {
        string constant = Intermediate($"{constantStem}.const");
        builder.Initializer(constant, value);
        fixedNames.Add(constant);
        return constant;
    }

    // ------------------------------------------------------------ statements

    private void Parameter(NeuriteParser.ParamStatementContext context)
    {
        string surface = DslNames.Unquote(context.name().GetText());
        string what = $"parameter '{surface}'";
        var type = DslTypes.ReadConcrete(context.type(), Problems, what);
        if (bindings.ContainsKey(surface) || defined.Contains(surface))
        {
            Problems.Error(context.name(), "dsl.redefined", $"'{surface}' is already defined in {Describe()}");
            return;
        }
        if (type is null)
        {
            bindings[surface] = surface;
            return;
        }
        Tensor? value;
        if (context.tensorInit() is { } init)
        {
            value = model.Tensors.Read(init, type, what);
        }
        else
        {
            value = FromArchives(surface, type, context);
        }
        if (value is null)
        {
            // Bound all the same, so its uses are not reported as undefined on top of the real problem.
            bindings[surface] = surface;
            return;
        }
        builder.Initializer(surface, value);
        defined.Add(surface);
        fixedNames.Add(surface);
        bindings[surface] = surface;
    }

    private Tensor? FromArchives(string surface, TensorType type, NeuriteParser.ParamStatementContext context)
    {
        for (var body = this; body is not null; body = body.parent)
        {
            foreach (var (location, arrays) in body.archives)
            {
                if (arrays.TryGetValue(surface, out var array))
                {
                    return model.Tensors.Declared(array, type, context.name().Start, $"parameter '{surface}' (from '{location}')");
                }
            }
        }
        string where = archives.Count == 0 && parent is null ? "there is no params file" : "no params file holds an array of that name";
        Problems.Error(context.name(), "dsl.value",
            $"parameter '{surface}' has no value: {where}; give one with = zeros, ones, fill(v), random(seed=S), [values], file(...) or raw(...)");
        return null;
    }

    private void Assignment(NeuriteParser.AssignmentContext context)
    {
        var expression = context.expression();
        var calls = new List<CallSite>();
        string? piped = null;
        if (expression.call() is { } call)
        {
            calls.Add(new CallSite(call.name(), call.arguments(), call.name().Start));
        }
        else
        {
            // "" stands in for a value that could not be resolved, so later stages do not also report a missing input.
            piped = Resolve(expression.name()) ?? "";
        }
        calls.AddRange(expression.stage().Select(s => new CallSite(s.name(), s.arguments(), s.name().Start)));

        var targets = context.targets().target();
        // Values inside a pipe are named after the value the pipe computes: h_1.conv2d, h_1.relu, ...
        string stem = targets.Select(t => t.name().GetText()).FirstOrDefault(t => t != DslNames.Absent) is { } first
            ? NextName(DslNames.Unquote(first)) : "value";
        constantStem = stem;
        for (int i = 0; i < calls.Count; i++)
        {
            bool last = i == calls.Count - 1;
            var node = opCalls.Read(calls[i], piped);
            if (node is null)
            {
                if (last)
                {
                    DefineAll(targets);
                }
                piped = "";
                continue;
            }
            List<string> outputs;
            string nodeName;
            if (last)
            {
                outputs = [];
                foreach (var target in targets)
                {
                    string text = target.name().GetText();
                    var type = target.type() is { } t ? DslTypes.Read(t, Problems) : null;
                    string output = text == DslNames.Absent ? "" : Define(DslNames.Unquote(text));
                    if (type is not null && output.Length > 0)
                    {
                        builder.Annotate(output, type);
                    }
                    outputs.Add(output);
                }
                nodeName = context.nodeLabel() is { } label ? DslNames.Unquote(label.name().GetText()) : outputs.FirstOrDefault(o => o.Length > 0) ?? "";
            }
            else
            {
                string output = Intermediate($"{stem}.{calls[i].Callee.GetText().Split('.')[^1].ToLowerInvariant()}");
                outputs = [output];
                nodeName = output;
            }
            if (Problems.HasErrors)
            {
                piped = outputs.FirstOrDefault();
                continue;
            }
            builder.NodeWithOutputs(node.OpType, node.Inputs, outputs.Count, node.Attributes, nodeName, node.Domain, outputs);
            model.RecordNode(nodeName, calls[i].At);
            piped = outputs.FirstOrDefault();
        }
    }

    /// <summary>Binds the targets of a failed assignment, so later statements do not report them as undefined too.</summary>
    private void DefineAll(IEnumerable<NeuriteParser.TargetContext> targets)
    {
        foreach (var target in targets.Where(t => t.name().GetText() != DslNames.Absent))
        {
            Define(DslNames.Unquote(target.name().GetText()));
        }
    }

    private Graph? BuildSubgraph(NeuriteParser.GraphValueContext context, string attributeName)
    {
        string graphName = context.name() is { } n ? DslNames.Unquote(n.GetText()) : attributeName;
        return new GraphBody(model, this, graphName).Build(context.signature(), context.block(), modelLevel: null);
    }
}

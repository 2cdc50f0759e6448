namespace Neurite.Ir;

/// <summary>
/// The reference interpreter: runs a graph on given inputs with every op's reference semantics.
/// Passes (constant folding, calibration, threshold balancing) and golden tests rely on it, so it
/// plans once and runs many times; it is safe to call <see cref="Run(IReadOnlyDictionary{string, IValue})"/>
/// from several threads at once.
/// </summary>
public sealed class Interpreter
{
    private readonly ExecutionPlan plan;

    public Interpreter(Model model, OpRegistry? registry = null)
        : this(model.Graph, model.Opsets, registry)
    {
    }

    /// <param name="opsets">Opset version by domain; a domain not listed makes its nodes fail to plan.</param>
    public Interpreter(Graph graph, IReadOnlyDictionary<string, int> opsets, OpRegistry? registry = null)
    {
        Graph = graph;
        var versions = opsets.ToDictionary(p => OpDomains.Normalize(p.Key), p => p.Value);
        plan = new ExecutionPlan(graph, null, registry ?? OpRegistry.Default, domain => versions.TryGetValue(domain, out int v) ? v : null);
    }

    public Graph Graph { get; }

    /// <summary>Runs the graph. Every graph input must be given; the result holds every graph output by name.</summary>
    public IReadOnlyDictionary<string, IValue> Run(IReadOnlyDictionary<string, IValue> inputs) => Run(inputs, observer: null);

    /// <summary>
    /// Runs the graph and shows <paramref name="observer"/> every value of the top-level graph as
    /// it is computed (graph inputs first), before the interpreter lets go of it: calibration
    /// streams statistics of every activation this way without keeping any of them.
    /// </summary>
    public IReadOnlyDictionary<string, IValue> Run(IReadOnlyDictionary<string, IValue> inputs, IValueObserver? observer)
    {
        InputBinding.Check(Graph, inputs);
        var frame = new Frame(plan, null);
        for (int i = 0; i < Graph.Inputs.Length; i++)
        {
            frame.Slots[plan.InputSlots[i]] = inputs[Graph.Inputs[i].Name];
            observer?.Observe(Graph.Inputs[i].Name, inputs[Graph.Inputs[i].Name]);
        }
        Execute(frame, observer);
        var outputs = new Dictionary<string, IValue>(Graph.Outputs.Length);
        for (int i = 0; i < Graph.Outputs.Length; i++)
        {
            outputs[Graph.Outputs[i].Name] = frame.Slots[plan.OutputSlots[i]]
                ?? throw new NeuriteException("run.missing-output", $"graph output '{Graph.Outputs[i].Name}' was not computed");
        }
        return outputs;
    }

    public IReadOnlyDictionary<string, IValue> Run(params (string Name, IValue Value)[] inputs) =>
        Run(inputs.ToDictionary(p => p.Name, p => p.Value));

    /// <summary>Runs a graph with one input and one output and returns that output's tensor.</summary>
    public Tensor Run(Tensor input)
    {
        if (Graph.Inputs.Length != 1 || Graph.Outputs.Length != 1)
        {
            throw new InvalidOperationException($"graph '{Graph.Name}' has {Graph.Inputs.Length} inputs and {Graph.Outputs.Length} outputs, not one of each");
        }
        return (Tensor)Run((Graph.Inputs[0].Name, (IValue)input))[Graph.Outputs[0].Name];
    }

    internal IReadOnlyList<IValue> RunSubgraph(ExecutionPlan subplan, Frame parent, IReadOnlyList<IValue?> inputs)
    {
        if (inputs.Count != subplan.InputSlots.Length)
        {
            throw new InvalidNodeException($"subgraph '{subplan.Graph.Name}' takes {subplan.InputSlots.Length} inputs, {inputs.Count} were given");
        }
        var frame = new Frame(subplan, parent);
        for (int i = 0; i < inputs.Count; i++)
        {
            frame.Slots[subplan.InputSlots[i]] = inputs[i];
        }
        Execute(frame, observer: null);
        var outputs = new IValue[subplan.OutputSlots.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = frame.Slots[subplan.OutputSlots[i]] ?? frame.Resolve(subplan.Graph.Outputs[i].Name);
        }
        return outputs;
    }

    private void Execute(Frame frame, IValueObserver? observer)
    {
        var context = new StepContext(this);
        foreach (var step in frame.Plan.Steps)
        {
            context.Bind(step, frame);
            try
            {
                step.Op.Evaluate(context);
            }
            catch (NeuriteException)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new NeuriteException("run.node-failed", e.Message, SourceLocation.OfNode(step.Node), e);
            }
            for (int i = 0; i < step.Outputs.Length; i++)
            {
                if (step.Outputs[i] >= 0 && frame.Slots[step.Outputs[i]] is null)
                {
                    throw new NeuriteException("run.missing-output",
                        $"the {step.Node.OpType} kernel produced no value for output {i} ('{step.Node.Outputs[i]}')", SourceLocation.OfNode(step.Node));
                }
                if (observer is not null && step.Outputs[i] >= 0)
                {
                    observer.Observe(step.Node.Outputs[i], frame.Slots[step.Outputs[i]]!);
                }
            }
            foreach (int slot in step.Releases)
            {
                frame.Slots[slot] = null;
            }
        }
    }
}

/// <summary>Sees the values of a run as the interpreter computes them (see <see cref="Interpreter.Run(IReadOnlyDictionary{string, IValue}, IValueObserver?)"/>).</summary>
public interface IValueObserver
{
    /// <summary>Called once per value; <paramref name="value"/> must not be kept beyond the call if memory matters.</summary>
    void Observe(string name, IValue value);
}

namespace Neurite.Ir.Ops;

/// <summary>
/// Scan: iterates its body over slices of the scan inputs, carrying state. From opset 9 the
/// scan axes and directions are attributes. Opset 8 has a leading batch axis on every input and
/// output, scans along axis 1, and takes an optional sequence_lens input: it runs here one batch
/// entry at a time, and the scan outputs of shorter sequences are padded with zeros to the
/// longest, as ONNX Runtime pads them.
/// </summary>
public sealed class Scan : OpDefinition
{
    public override string Name => "Scan";

    public override int SinceVersion => 8;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Variadic("initial_state_and_scan_inputs")
        .VariadicOutput("final_state_and_scan_outputs")
        .Attr("body", AttributeKind.Graph, required: true)
        .Attr("num_scan_inputs", AttributeKind.Int, required: true)
        .Attr("directions", AttributeKind.Ints)
        .Attr("scan_input_axes", AttributeKind.Ints)
        .Attr("scan_input_directions", AttributeKind.Ints)
        .Attr("scan_output_axes", AttributeKind.Ints)
        .Attr("scan_output_directions", AttributeKind.Ints)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var body = context.GraphAttribute("body")!;
        bool batched = context.Opset < 9;
        int first = batched ? 1 : 0;
        var (stateCount, scanInputs) = Counts(context, context.InputCount, first);
        var inputAxes = batched ? null : context.Ints("scan_input_axes");
        var bodyInputs = new IrType?[stateCount + scanInputs];
        Dim? length = null, batch = null;
        for (int i = 0; i < bodyInputs.Length; i++)
        {
            bool isState = i < stateCount;
            if (isState && !batched)
            {
                bodyInputs[i] = context.InputType(first + i);
                continue;
            }
            if (context.InputTensorType(first + i) is not TensorType type)
            {
                continue;
            }
            if (!type.Shape.IsRankKnown)
            {
                bodyInputs[i] = new TensorType(type.ElementType, Shape.UnknownRank);
                continue;
            }
            // The body sees each slice: a scan input without its scan axis, and in opset 8 anything without its batch axis.
            int rank = type.Shape.Rank;
            if (batched && rank < (isState ? 1 : 2))
            {
                throw new InvalidNodeException($"opset 8 needs a batch axis on every state and a batch and a sequence axis on every scan input; input {first + i} is {type}");
            }
            int scanAxis = isState ? -1 : batched ? 1 : OpContext.NormalizeAxis(Axis(inputAxes, i - stateCount), rank, "scan_input_axes");
            bodyInputs[i] = new TensorType(type.ElementType, new Shape(type.Shape.Dims.Where((_, d) => d != scanAxis && !(batched && d == 0))));
            if (!isState)
            {
                length = KnownFirst(length, type.Shape[scanAxis]);
            }
            if (batched)
            {
                batch = KnownFirst(batch, type.Shape[0]);
            }
        }
        var outputs = context.InferSubgraph(body, bodyInputs);
        var outputAxes = batched ? null : context.Ints("scan_output_axes");
        var result = new List<IrType?>();
        for (int i = 0; i < context.OutputCount; i++)
        {
            if (i < stateCount)
            {
                result.Add(context.InputType(first + i));
                continue;
            }
            var perIteration = i < outputs.Count ? outputs[i] : null;
            // Every scan input has the same length along its scan axis: the number of iterations
            // (in opset 8 the longest sequence, to which shorter ones are padded).
            result.Add(batched
                ? ControlFlowTypes.Stacked(ControlFlowTypes.Stacked(perIteration, 0, length), 0, batch)
                : ControlFlowTypes.Stacked(perIteration, Axis(outputAxes, i - stateCount), length));
        }
        return result;
    }

    private static Dim KnownFirst(Dim? current, Dim candidate) => current is Dim { IsKnown: true } known ? known : candidate;

    /// <summary>The numbers of states and scan inputs among the inputs from <paramref name="first"/> on.</summary>
    private static (int States, int ScanInputs) Counts(OpContext context, int inputCount, int first)
    {
        int scanInputs = (int)context.Int("num_scan_inputs");
        int states = inputCount - first - scanInputs;
        if (scanInputs < 0 || states < 0)
        {
            throw new InvalidNodeException($"num_scan_inputs is {scanInputs}, but the node has {inputCount - first} state and scan inputs");
        }
        return (states, scanInputs);
    }

    public override void Evaluate(EvaluationContext context)
    {
        if (context.Opset < 9)
        {
            EvaluateBatched(context);
            return;
        }
        var body = context.GraphAttribute("body")!;
        var (stateCount, scanInputs) = Counts(context, context.InputCount, 0);
        var state = Enumerable.Range(0, stateCount).Select(i => context.InputValue(i)!).ToArray();
        var inputs = Enumerable.Range(0, scanInputs).Select(i => context.Input(stateCount + i)).ToArray();
        var inputAxes = Attribute(context, "scan_input_axes", scanInputs, "scan inputs");
        var inputDirections = Attribute(context, "scan_input_directions", scanInputs, "scan inputs");
        var axes = inputs.Select((x, i) => OpContext.NormalizeAxis(inputAxes[i], x.Rank, "scan_input_axes")).ToArray();
        int length = inputs.Length > 0 ? inputs[0].Dim(axes[0]) : 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Dim(axes[i]) != length)
            {
                throw new InvalidNodeException($"scan input {i} has {inputs[i].Dim(axes[i])} steps along its scan axis, input 0 has {length}");
            }
        }
        var (finalState, collected) = Iterate(context, body, state, inputs, axes, inputDirections, length);
        for (int i = 0; i < finalState.Length; i++)
        {
            context.SetOutput(i, finalState[i]);
        }
        var outputAxes = Attribute(context, "scan_output_axes", collected.Length, "scan outputs");
        var outputDirections = Attribute(context, "scan_output_directions", collected.Length, "scan outputs");
        for (int s = 0; s < collected.Length; s++)
        {
            var items = outputDirections[s] == 1 ? Enumerable.Reverse(collected[s]).ToList() : collected[s];
            var declared = body.Outputs[stateCount + s].TensorType;
            var emptyItem = ControlFlowTypes.EmptyItemShape(declared);
            int itemRank = items.Count > 0 ? items[0].Rank : emptyItem.Length;
            int axis = OpContext.NormalizeAxis(outputAxes[s], itemRank + 1, "scan_output_axes");
            var element = items.FirstOrDefault()?.ElementType ?? declared?.ElementType ?? ElementType.Float32;
            context.SetOutput(stateCount + s, ControlFlowTypes.Stack(items, axis, element, emptyItem));
        }
    }

    /// <summary>Opset 8: axis 0 of every state and scan input is a batch; each entry scans along its axis 0 (the input's axis 1).</summary>
    private static void EvaluateBatched(EvaluationContext context)
    {
        var body = context.GraphAttribute("body")!;
        var (stateCount, scanInputs) = Counts(context, context.InputCount, 1);
        var states = Enumerable.Range(0, stateCount).Select(i => context.Input(1 + i)).ToArray();
        var inputs = Enumerable.Range(0, scanInputs).Select(i => context.Input(1 + stateCount + i)).ToArray();
        var (batch, maxLength) = BatchAndLength(states, inputs);
        var lengths = SequenceLengths(context.OptionalInput(0), batch, maxLength);
        var directions = Attribute(context, "directions", scanInputs, "scan inputs");
        int scanOutputs = body.Outputs.Length - stateCount;

        var finalStates = Enumerable.Range(0, stateCount).Select(_ => new List<Tensor>(batch)).ToArray();
        var perEntry = Enumerable.Range(0, scanOutputs).Select(_ => new List<List<Tensor>>(batch)).ToArray();
        var axes = new int[scanInputs];
        for (int b = 0; b < batch; b++)
        {
            var state = states.Select(s => (IValue)ControlFlowTypes.Take(s, 0, b)).ToArray();
            var slices = inputs.Select(x => ControlFlowTypes.Take(x, 0, b)).ToArray();
            var (finalState, collected) = Iterate(context, body, state, slices, axes, directions, lengths[b]);
            for (int i = 0; i < stateCount; i++)
            {
                finalStates[i].Add(finalState[i] as Tensor ?? throw new InvalidNodeException($"body output {i} (a state) must be a tensor"));
            }
            for (int s = 0; s < scanOutputs; s++)
            {
                perEntry[s].Add(collected[s]);
            }
        }
        for (int i = 0; i < stateCount; i++)
        {
            context.SetOutput(i, ControlFlowTypes.Stack(finalStates[i], 0, states[i].ElementType, states[i].Shape[1..]));
        }
        for (int s = 0; s < scanOutputs; s++)
        {
            var declared = body.Outputs[stateCount + s].TensorType;
            var produced = perEntry[s].SelectMany(items => items).FirstOrDefault();
            var element = produced?.ElementType ?? declared?.ElementType ?? ElementType.Float32;
            var itemShape = produced?.ShapeArray() ?? ControlFlowTypes.EmptyItemShape(declared);
            var padding = Tensor.Zeros(element, itemShape);
            var entries = perEntry[s].Select(items =>
                ControlFlowTypes.Stack([.. items, .. Enumerable.Repeat(padding, maxLength - items.Count)], 0, element, itemShape)).ToList();
            context.SetOutput(stateCount + s, ControlFlowTypes.Stack(entries, 0, element, [maxLength, .. itemShape]));
        }
    }

    /// <summary>The batch size (axis 0 of every input) and the longest sequence (axis 1 of every scan input) of opset 8.</summary>
    private static (int Batch, int MaxLength) BatchAndLength(Tensor[] states, Tensor[] inputs)
    {
        int batch = -1, maxLength = -1;
        foreach (var (tensor, isState) in states.Select(s => (s, true)).Concat(inputs.Select(x => (x, false))))
        {
            int rank = isState ? 1 : 2;
            if (tensor.Rank < rank)
            {
                throw new InvalidNodeException(isState
                    ? $"a state needs a batch axis; got shape [{string.Join(",", tensor.Shape.ToArray())}]"
                    : $"a scan input needs a batch and a sequence axis; got shape [{string.Join(",", tensor.Shape.ToArray())}]");
            }
            if (batch >= 0 && tensor.Dim(0) != batch)
            {
                throw new InvalidNodeException($"the inputs disagree on the batch size: {batch} and {tensor.Dim(0)}");
            }
            batch = tensor.Dim(0);
            if (!isState)
            {
                if (maxLength >= 0 && tensor.Dim(1) != maxLength)
                {
                    throw new InvalidNodeException($"the scan inputs disagree on the sequence length: {maxLength} and {tensor.Dim(1)}");
                }
                maxLength = tensor.Dim(1);
            }
        }
        return (Math.Max(batch, 0), Math.Max(maxLength, 0));
    }

    private static int[] SequenceLengths(Tensor? lengths, int batch, int maxLength)
    {
        if (lengths is null)
        {
            return Enumerable.Repeat(maxLength, batch).ToArray();
        }
        var values = lengths.ToInt64Array();
        if (values.Length != batch || values.Any(v => v < 0 || v > maxLength))
        {
            throw new InvalidNodeException(
                $"sequence_lens must hold {batch} lengths in [0, {maxLength}], one per batch entry; got [{string.Join(",", values)}]");
        }
        return values.Select(v => (int)v).ToArray();
    }

    /// <summary>
    /// Runs the body <paramref name="length"/> times over slices of the scan inputs along their
    /// axes (a reverse input starts at slice length - 1), giving the final state and each scan
    /// output's per-iteration values in iteration order.
    /// </summary>
    private static (IValue[] State, List<Tensor>[] Collected) Iterate(EvaluationContext context, Graph body, IValue[] state, Tensor[] inputs,
        int[] axes, long[] directions, int length)
    {
        int scanOutputs = body.Outputs.Length - state.Length;
        if (scanOutputs < 0)
        {
            throw new InvalidNodeException($"the body gives {body.Outputs.Length} outputs, fewer than the {state.Length} states");
        }
        var collected = Enumerable.Range(0, scanOutputs).Select(_ => new List<Tensor>(length)).ToArray();
        var bodyInputs = new IValue?[state.Length + inputs.Length];
        for (int t = 0; t < length; t++)
        {
            state.CopyTo(bodyInputs, 0);
            for (int i = 0; i < inputs.Length; i++)
            {
                bodyInputs[state.Length + i] = ControlFlowTypes.Take(inputs[i], axes[i], directions[i] == 1 ? length - 1 - t : t);
            }
            var outputs = context.RunSubgraph(body, bodyInputs);
            for (int i = 0; i < state.Length; i++)
            {
                state[i] = outputs[i];
            }
            for (int s = 0; s < scanOutputs; s++)
            {
                collected[s].Add(outputs[state.Length + s] as Tensor
                    ?? throw new InvalidNodeException($"scan output {s} of the body must be a tensor, got a {outputs[state.Length + s].Type}"));
            }
        }
        return (state, collected);
    }

    /// <summary>A per-input or per-output attribute (axes, directions): <paramref name="count"/> values, zeros when absent.</summary>
    private static long[] Attribute(OpContext context, string name, int count, string what)
    {
        var values = context.Ints(name);
        if (values is null)
        {
            return new long[count];
        }
        if (values.Length != count)
        {
            throw new InvalidNodeException($"{name} has {values.Length} values; expected one for each of the {count} {what}");
        }
        return values;
    }

    private static int Axis(long[]? axes, int index) => axes is not null && index < axes.Length ? (int)axes[index] : 0;
}

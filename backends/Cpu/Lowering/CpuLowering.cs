using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// Turns a bound model's runtime nodes into kernels, fusing what follows a producer when nothing
/// else reads the value in between: bias adds into Gemm/MatMul, batch norms and per-channel
/// affine constants into Conv weights, and element ops (activations, scalar arithmetic) into the
/// producer's store loop. Every node it cannot emit becomes a diagnostic naming the node and op;
/// lowering never stops at the first.
/// </summary>
public sealed partial class CpuLowering
{
    private readonly BoundModel model;
    private readonly Dictionary<string, List<Node>> consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> graphOutputs;
    private readonly HashSet<Node> fused = [];
    private readonly List<Kernel> kernels = [];
    private readonly Dictionary<string, string> views = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> diagnostics = [];

    private CpuLowering(BoundModel model)
    {
        this.model = model;
        graphOutputs = model.Graph.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in model.RuntimeNodes)
        {
            foreach (var input in node.Inputs.Where(i => i.Length > 0).Distinct())
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }
                list.Add(node);
            }
        }
    }

    public static LoweredModel Lower(BoundModel model)
    {
        var lowering = new CpuLowering(model);
        if (model.Diagnostics.Count == 0)
        {
            lowering.Run();
        }
        return new LoweredModel(model, lowering.kernels, lowering.views, [.. model.Diagnostics, .. lowering.diagnostics]);
    }

    private void Run()
    {
        foreach (var node in model.RuntimeNodes)
        {
            if (fused.Contains(node))
            {
                continue;
            }
            if (IsIntegerNode(node))
            {
                try
                {
                    LowerIntegerNode(node);
                }
                catch (CpuUnsupportedException e)
                {
                    diagnostics.Add(Diagnostic.Error("cpu.unsupported", e.Message, SourceLocation.OfNode(node)));
                }
                continue;
            }
            if (!IsFusedLayer(node) && (node.Domain.Length != 0 || !(Emitted.Contains(node.OpType) || ElementOp.Of(node, model) is not null)))
            {
                diagnostics.Add(Diagnostic.Error("cpu.unsupported", $"the CPU target cannot emit {node.QualifiedOpType}", SourceLocation.OfNode(node)));
                continue;
            }
            if (!CheckTypes(node))
            {
                continue;
            }
            try
            {
                LowerNode(node);
            }
            catch (UnsupportedException e)
            {
                diagnostics.Add(Diagnostic.Error("cpu.unsupported", e.Message, SourceLocation.OfNode(node)));
            }
        }
        foreach (var output in model.Graph.Outputs)
        {
            if (model.Constant(output.Name) is Tensor constant)
            {
                if (constant.DataType != DataType.Float32)
                {
                    diagnostics.Add(Diagnostic.Error("cpu.type", $"output '{output.Name}' is a constant {constant.ElementType} tensor; the CPU target emits float32 only"));
                    continue;
                }
                var node = new Node($"constant output {output.Name}", "Constant", [], [output.Name]);
                kernels.Add(new CopyKernel(node, [], output.Name, constant.Length, constant.Span<float>().ToArray()));
            }
            else if (model.Graph.IsInput(output.Name))
            {
                diagnostics.Add(Diagnostic.Error("cpu.unsupported", $"output '{output.Name}' is the graph input itself; the CPU target needs at least one operation between them"));
            }
            else if (model.TypeOf(output.Name) is { } type && type.ElementType.Storage != DataType.Float32)
            {
                // The entry point hands back float32 outputs: a quantised graph ends in DequantizeLinear.
                var producer = model.RuntimeNodes.FirstOrDefault(n => n.Outputs.Contains(output.Name));
                if (producer is not null && diagnostics.Any(d => d.Location?.Node == producer.Name))
                {
                    continue;
                }
                diagnostics.Add(Diagnostic.Error("cpu.type", $"output '{output.Name}' is {type.ElementType}; the CPU target's outputs are float32 (end a quantised graph with DequantizeLinear)",
                    producer is null ? null : SourceLocation.OfNode(producer)));
            }
        }
    }

    /// <summary>The ops the CPU target emits (besides element ops, which <see cref="ElementOp.Of"/> recognises).</summary>
    public static readonly IReadOnlySet<string> Emitted = new HashSet<string>(StringComparer.Ordinal)
    {
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Gemm", "MatMul", "Conv", "MaxPool", "AveragePool",
        "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization", "Softmax", "LogSoftmax", "Transpose", "Concat", "Pad",
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min",
    };

    /// <summary>A layer the fuse-activations pass joined with its activation (neurite.FusedConv, neurite.FusedGemm).</summary>
    private static bool IsFusedLayer(Node node) => node.Domain == OpDomains.Neurite && node.OpType is "FusedConv" or "FusedGemm";

    /// <summary>
    /// The activation of a fused layer as the first op of its store loop. The fused node's
    /// activation attributes become those of the standalone op, which <see cref="ElementOp.Of"/> reads.
    /// </summary>
    private ElementOp FusedActivationOp(Node node)
    {
        string activation = node.Attribute("activation")?.AsString() ?? throw Unsupported($"{node.OpType} has no activation attribute");
        var parameters = node.Attribute("activation_params")?.AsFloats() ?? [];
        var attributes = (activation, parameters.Length) switch
        {
            ("LeakyRelu", 1) => new Dictionary<string, AttributeValue> { ["alpha"] = parameters[0] },
            ("Clip", 2) => new Dictionary<string, AttributeValue> { ["min"] = parameters[0], ["max"] = parameters[1] },
            ("Relu" or "Sigmoid", 0) => null,
            _ => throw Unsupported($"{node.OpType} with activation {activation} and {parameters.Length} parameters is not emitted by the CPU target"),
        };
        var standalone = new Node(node.Name + "/" + activation, activation, [node.Outputs[0]], [node.Outputs[0]], attributes);
        return ElementOp.Of(standalone, model) ?? throw Unsupported($"the CPU target cannot emit the fused activation {activation}");
    }

    private sealed class UnsupportedException(string message) : Exception(message);

    private static UnsupportedException Unsupported(string message) => new(message);

    private bool CheckTypes(Node node)
    {
        bool ok = true;
        foreach (var value in node.Inputs.Concat(node.Outputs).Where(v => v.Length > 0).Distinct())
        {
            bool isOutput = node.Outputs.Contains(value);
            if (!isOutput && model.IsConstant(value))
            {
                continue;
            }
            if (isOutput && !consumers.ContainsKey(value) && !graphOutputs.Contains(value) && value != node.Outputs[0])
            {
                continue;
            }
            var type = model.TypeOf(value);
            if (type is null || type.ElementType.Storage != DataType.Float32)
            {
                diagnostics.Add(Diagnostic.Error("cpu.type",
                    $"'{value}' is {(type is null ? "of unknown type" : type.ElementType.ToString())}; the CPU target emits float32 tensors only (quantised and integer models need the quantisation passes first)",
                    SourceLocation.OfNode(node)));
                ok = false;
            }
        }
        return ok;
    }

    private void LowerNode(Node node)
    {
        switch (node.OpType)
        {
            case "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" or "Identity" or "Dropout":
                LowerView(node);
                return;
            case "Gemm":
                Add(Gemm(node));
                return;
            case "MatMul":
                Add(MatMul(node));
                return;
            case "Conv":
                Add(Conv(node));
                return;
            case "FusedGemm" when IsFusedLayer(node):
            {
                var dense = Gemm(node);
                dense.Epilogue.Add(FusedActivationOp(node));
                Add(dense);
                return;
            }
            case "FusedConv" when IsFusedLayer(node):
            {
                // No BatchNormalization or channel affine after the activation may be folded into the weights.
                var conv = Conv(node, absorbChannelAffines: false);
                conv.Epilogue.Add(FusedActivationOp(node));
                Add(conv);
                return;
            }
            case "MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool":
                Add(Pool(node));
                return;
            case "BatchNormalization":
                Add(BatchNorm(node));
                return;
            case "Softmax" or "LogSoftmax":
                Add(Softmax(node));
                return;
            case "Transpose":
                Add(Transpose(node));
                return;
            case "Concat":
                Add(Concat(node));
                return;
            case "Pad":
                Add(Pad(node));
                return;
        }
        if (node.Domain.Length == 0 && ElementOp.Of(node, model) is ElementOp op && RuntimeInputs(node).Count == 1)
        {
            string input = RuntimeInputs(node)[0];
            Add(new UnaryKernel(node, input, node.Outputs[0], Length(node.Outputs[0]), op));
            return;
        }
        if (node.Domain.Length == 0 && node.OpType is "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Max" or "Min")
        {
            Add(Binary(node));
            return;
        }
        throw Unsupported($"the CPU target cannot emit {node.QualifiedOpType}");
    }

    private void Add(Kernel kernel)
    {
        kernels.Add(kernel);
        var epilogue = kernel switch
        {
            DenseKernel d => d.Epilogue,
            ConvKernel c => c.Epilogue,
            PoolKernel p => p.Epilogue,
            UnaryKernel u => u.Epilogue,
            BinaryKernel b => b.Epilogue,
            ChannelAffineKernel a => a.Epilogue,
            _ => null,
        };
        if (epilogue is not null)
        {
            kernel.Output = AbsorbElementOps(kernel, epilogue, kernel.Output);
        }
    }

    /// <summary>The only runtime reader of <paramref name="value"/> when there is exactly one and the value is no graph output.</summary>
    private Node? SoleConsumer(string value) =>
        !graphOutputs.Contains(value) && consumers.TryGetValue(value, out var list) && list.Count == 1 && !fused.Contains(list[0]) ? list[0] : null;

    private string AbsorbElementOps(Kernel kernel, List<ElementOp> epilogue, string value)
    {
        while (SoleConsumer(value) is Node next && next.Domain.Length == 0 && next.Outputs.Length >= 1
               && RuntimeInputs(next) is [var only] && only == value && ElementOp.Of(next, model) is ElementOp op && CheckTypes(next))
        {
            epilogue.Add(op);
            Fuse(kernel, next);
            value = next.Outputs[0];
        }
        return value;
    }

    private void Fuse(Kernel kernel, Node node)
    {
        fused.Add(node);
        kernel.Fused.Add(node);
    }

    private List<string> RuntimeInputs(Node node) => node.Inputs.Where(i => i.Length > 0 && !model.IsConstant(i)).ToList();

    private int[] Shape(string value) => model.ShapeOf(value);

    private int Length(string value) => Tensor.ElementCountOf(Shape(value));

    private static long IntAttribute(Node node, string name, long fallback) => node.Attribute(name)?.AsInt() ?? fallback;

    private float[] ConstantFloats(Node node, int index, string role)
    {
        var constant = model.Constant(node.Inputs[index])
            ?? throw Unsupported($"{role} ('{node.Inputs[index]}') must be a constant for the CPU target; it is computed at run time");
        if (constant.DataType != DataType.Float32)
        {
            throw Unsupported($"{role} ('{node.Inputs[index]}') is {constant.ElementType}; the CPU target emits float32 only");
        }
        return constant.Span<float>().ToArray();
    }

    /// <summary>
    /// The shape input <paramref name="index"/> broadcasts with. Before opset 7, Add/Sub/Mul/Div
    /// broadcast B only with broadcast=1 and align it at <c>axis</c> instead of at the end: that is
    /// B's shape followed by ones.
    /// </summary>
    private int[] OperandShape(Node node, int index)
    {
        var shape = model.Constant(node.Inputs[index])?.ShapeArray() ?? Shape(node.Inputs[index]);
        if (index == 1 && (model.Model.OpsetOf("") ?? 13) < 7 && IntAttribute(node, "broadcast", 0) != 0 && node.Attribute("axis") is AttributeValue axis)
        {
            int rank = Shape(node.Outputs[0]).Length;
            long start = axis.AsInt() < 0 ? axis.AsInt() + rank : axis.AsInt();
            int trailing = rank - (int)start - shape.Length;
            if (trailing > 0)
            {
                shape = [.. shape, .. Enumerable.Repeat(1, trailing)];
            }
        }
        return shape;
    }

    private void LowerView(Node node)
    {
        if (node.OpType == "Dropout" && node.Outputs.Length > 1 && node.Outputs[1].Length > 0 && (consumers.ContainsKey(node.Outputs[1]) || graphOutputs.Contains(node.Outputs[1])))
        {
            throw Unsupported("Dropout's mask output is read; the CPU target emits inference-mode Dropout (an identity) only");
        }
        string input = node.Inputs[0], output = node.Outputs[0];
        if (graphOutputs.Contains(output))
        {
            kernels.Add(new CopyKernel(node, [input], output, Length(output)));
            return;
        }
        views[output] = input;
    }

    private DenseKernel Gemm(Node node)
    {
        if (IntAttribute(node, "transA", 0) != 0)
        {
            throw Unsupported("Gemm with transA=1 is not emitted by the CPU target (transpose A with a Transpose node first)");
        }
        bool transB = IntAttribute(node, "transB", 0) != 0;
        float alpha = node.Attribute("alpha")?.AsFloat() ?? 1f, beta = node.Attribute("beta")?.AsFloat() ?? 1f;
        var a = Shape(node.Inputs[0]);
        if (model.IsConstant(node.Inputs[0]))
        {
            throw Unsupported("Gemm with a constant A and a runtime B is not emitted by the CPU target");
        }
        int m = a[0], k = a[1];
        var y = Shape(node.Outputs[0]);
        int n = y[1];
        DenseKernel kernel;
        if (model.IsConstant(node.Inputs[1]))
        {
            var b = ConstantFloats(node, 1, "B");
            var weights = new float[k * n];
            for (int kk = 0; kk < k; kk++)
            {
                for (int nn = 0; nn < n; nn++)
                {
                    weights[kk * n + nn] = alpha * (transB ? b[nn * k + kk] : b[kk * n + nn]);
                }
            }
            kernel = new DenseKernel(node, [node.Inputs[0]], node.Outputs[0], m, n, k, weights);
        }
        else
        {
            if (transB || alpha != 1f)
            {
                throw Unsupported("Gemm with a runtime B is emitted only with transB=0 and alpha=1");
            }
            kernel = new DenseKernel(node, [node.Inputs[0], node.Inputs[1]], node.Outputs[0], m, n, k, null);
        }
        if (node.HasInput(2))
        {
            var c = model.Constant(node.Inputs[2]) ?? throw Unsupported("Gemm's C must be a constant for the CPU target");
            var values = ConstantFloats(node, 2, "C");
            kernel.Bias = ColumnBias(values, c.ShapeArray(), n)
                ?? throw Unsupported($"Gemm's C of shape [{string.Join(",", c.ShapeArray())}] is not a per-column bias ([{n}], [1,{n}] or a scalar)");
            for (int i = 0; i < n; i++)
            {
                kernel.Bias[i] *= beta;
            }
        }
        AbsorbColumnBias(kernel);
        return kernel;
    }

    /// <summary>A bias vector of length <paramref name="n"/> from a constant that broadcasts along the last axis only.</summary>
    private static float[]? ColumnBias(float[] values, int[] shape, int n)
    {
        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], n).ToArray();
        }
        return values.Length == n && shape.Length >= 1 && shape[^1] == n ? (float[])values.Clone() : null;
    }

    /// <summary>Keras and TensorFlow write a dense layer as MatMul then Add of a bias vector: the add joins the product.</summary>
    private void AbsorbColumnBias(DenseKernel kernel)
    {
        if (SoleConsumer(kernel.Output) is { OpType: "Add", Domain: "" } add && add.Inputs.Length == 2)
        {
            int other = add.Inputs[0] == kernel.Output ? 1 : 0;
            if (add.Inputs[1 - other] == kernel.Output && model.Constant(add.Inputs[other]) is { DataType: DataType.Float32 } bias
                && bias.Rank <= Shape(kernel.Output).Length && Shape(add.Outputs[0]).SequenceEqual(Shape(kernel.Output))
                && ColumnBias(bias.Span<float>().ToArray(), OperandShape(add, other), kernel.N) is float[] values)
            {
                kernel.BiasAfterProduct = kernel.Bias is null;
                kernel.Bias = kernel.Bias is null ? values : kernel.Bias.Zip(values, (x, y) => x + y).ToArray();
                Fuse(kernel, add);
                kernel.Output = add.Outputs[0];
            }
        }
    }

    private DenseKernel MatMul(Node node)
    {
        if (model.IsConstant(node.Inputs[0]))
        {
            throw Unsupported("MatMul with a constant left operand is not emitted by the CPU target");
        }
        var a = Shape(node.Inputs[0]);
        var b = Shape(node.Inputs[1]);
        if (b.Length != 2)
        {
            throw Unsupported($"MatMul of a right operand of rank {b.Length} is not emitted by the CPU target (it emits [.., M, K] × [K, N])");
        }
        int k = a[^1], n = b[1];
        int m = a.Length == 1 ? 1 : a[..^1].Aggregate(1, (p, d) => p * d);
        var kernel = model.IsConstant(node.Inputs[1])
            ? new DenseKernel(node, [node.Inputs[0]], node.Outputs[0], m, n, k, ConstantFloats(node, 1, "B"))
            : new DenseKernel(node, [node.Inputs[0], node.Inputs[1]], node.Outputs[0], m, n, k, null);
        AbsorbColumnBias(kernel);
        return kernel;
    }

    private ConvKernel Conv(Node node, bool absorbChannelAffines = true)
    {
        var x = Shape(node.Inputs[0]);
        var w = model.Constant(node.Inputs[1]) ?? throw Unsupported("Conv's weights must be a constant for the CPU target");
        var y = Shape(node.Outputs[0]);
        int groups = checked((int)IntAttribute(node, "group", 1));
        var window = Window.Resolve(node, x, y, w.ShapeArray()[2..], out var problem) ?? throw Unsupported(problem!);
        var weights = ConstantFloats(node, 1, "W");
        int outChannels = w.Dim(0);
        var bias = node.HasInput(2) ? ConstantFloats(node, 2, "B") : new float[outChannels];
        var kernel = new ConvKernel(node, node.Inputs[0], node.Outputs[0], x[0], x[1], outChannels, groups, window, weights, bias);
        if (absorbChannelAffines)
        {
            AbsorbChannelAffines(kernel);
        }
        return kernel;
    }

    /// <summary>Folds BatchNormalization and per-channel Add/Mul constants that follow a conv into its weights and bias.</summary>
    private void AbsorbChannelAffines(ConvKernel kernel)
    {
        while (SoleConsumer(kernel.Output) is Node next && next.Domain.Length == 0)
        {
            if (next.OpType == "BatchNormalization" && next.Inputs[0] == kernel.Output && BatchNormAffine(next, kernel.OutChannels) is var (scale, shift))
            {
                kernel.FoldAffine(scale, shift);
            }
            else if (next.OpType is "Add" or "Mul" && next.Inputs.Length == 2 && PerChannelConstant(next, kernel) is float[] values)
            {
                kernel.FoldAffine(next.OpType == "Mul" ? values : Enumerable.Repeat(1f, values.Length).ToArray(),
                    next.OpType == "Add" ? values : new float[values.Length]);
            }
            else
            {
                return;
            }
            Fuse(kernel, next);
            kernel.Output = next.Outputs[0];
        }
    }

    private float[]? PerChannelConstant(Node node, ConvKernel kernel)
    {
        int other = node.Inputs[0] == kernel.Output ? 1 : 0;
        if (node.Inputs[1 - other] != kernel.Output || model.Constant(node.Inputs[other]) is not { DataType: DataType.Float32 } c)
        {
            return null;
        }
        var outShape = Shape(kernel.Output);
        if (!Shape(node.Outputs[0]).SequenceEqual(outShape))
        {
            return null;
        }
        var shape = OperandShape(node, other);
        var values = c.Span<float>().ToArray();
        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], kernel.OutChannels).ToArray();
        }
        // Right-aligned against [N, C, spatial...], the constant may vary along C only.
        int offset = outShape.Length - shape.Length;
        if (offset < 0)
        {
            return null;
        }
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] != 1 && !(i + offset == 1 && shape[i] == kernel.OutChannels))
            {
                return null;
            }
        }
        return values.Length == kernel.OutChannels ? values : null;
    }

    /// <summary>BatchNormalization in inference form as y = x·scale + shift per channel; null when it is not that.</summary>
    private (float[] Scale, float[] Shift)? BatchNormAffine(Node node, int channels)
    {
        if (IntAttribute(node, "training_mode", 0) != 0 || node.Outputs.Skip(1).Any(o => o.Length > 0 && consumers.ContainsKey(o)))
        {
            return null;
        }
        if (!Enumerable.Range(1, 4).All(i => model.Constant(node.Inputs[i]) is { DataType: DataType.Float32 } t && t.Length == channels))
        {
            return null;
        }
        float epsilon = node.Attribute("epsilon")?.AsFloat() ?? 1e-5f;
        var gamma = ConstantFloats(node, 1, "scale");
        var beta = ConstantFloats(node, 2, "B");
        var mean = ConstantFloats(node, 3, "mean");
        var variance = ConstantFloats(node, 4, "var");
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = (float)(gamma[c] / Math.Sqrt((double)variance[c] + epsilon));
            shift[c] = (float)(beta[c] - (double)mean[c] * scale[c]);
        }
        return (scale, shift);
    }

    private ChannelAffineKernel BatchNorm(Node node)
    {
        var x = Shape(node.Inputs[0]);
        if (x.Length < 2)
        {
            throw Unsupported("BatchNormalization needs an input of rank 2 or more");
        }
        var (scale, shift) = BatchNormAffine(node, x[1])
            ?? throw Unsupported("the CPU target emits BatchNormalization in inference mode with constant per-channel parameters only");
        return new ChannelAffineKernel(node, node.Inputs[0], node.Outputs[0], x[0], x[1], x.Skip(2).Aggregate(1, (p, d) => p * d), scale, shift);
    }

    private PoolKernel Pool(Node node)
    {
        if (node.Outputs.Length > 1 && node.Outputs[1].Length > 0 && (consumers.ContainsKey(node.Outputs[1]) || graphOutputs.Contains(node.Outputs[1])))
        {
            throw Unsupported("MaxPool's Indices output is not emitted by the CPU target");
        }
        var x = Shape(node.Inputs[0]);
        var y = Shape(node.Outputs[0]);
        bool global = node.OpType.StartsWith("Global", StringComparison.Ordinal);
        var kernelShape = global ? x[2..] : node.Attribute("kernel_shape")?.AsInts().Select(v => checked((int)v)).ToArray()
            ?? throw Unsupported("kernel_shape is missing");
        var window = global
            ? (x.Length == 3 ? new Window(1, x[2], 1, x[2], 1, 1, 1, 1, 0, 0, 0, 0, 1, 1) : x.Length == 4 ? new Window(x[2], x[3], x[2], x[3], 1, 1, 1, 1, 0, 0, 0, 0, 1, 1) : null)
            : Window.Resolve(node, x, y, kernelShape, out var problem) ?? throw Unsupported(problem!);
        if (window is null)
        {
            throw Unsupported($"the CPU target emits 1-D and 2-D pooling; this input has rank {x.Length}");
        }
        var kind = node.OpType.Contains("Max", StringComparison.Ordinal) ? PoolKind.Max : PoolKind.Average;
        return new PoolKernel(node, node.Inputs[0], node.Outputs[0], kind, x[0] * x[1], window, IntAttribute(node, "count_include_pad", 0) != 0);
    }

    private SoftmaxKernel Softmax(Node node)
    {
        var x = Shape(node.Inputs[0]);
        int opset = model.Model.OpsetOf("") ?? 13;
        int rank = x.Length;
        long axis = IntAttribute(node, "axis", opset >= 13 ? -1 : 1);
        int a = checked((int)(axis < 0 ? axis + rank : axis));
        int total = Tensor.ElementCountOf(x);
        bool logarithm = node.OpType == "LogSoftmax";
        if (opset < 13)
        {
            int inner = x[a..].Aggregate(1, (p, d) => p * d);
            return new SoftmaxKernel(node, node.Inputs[0], node.Outputs[0], total / Math.Max(inner, 1), inner, 1, logarithm);
        }
        int stride = x[(a + 1)..].Aggregate(1, (p, d) => p * d);
        return new SoftmaxKernel(node, node.Inputs[0], node.Outputs[0], total / x[a], x[a], stride, logarithm);
    }

    private TransposeKernel Transpose(Node node)
    {
        var x = Shape(node.Inputs[0]);
        var perm = node.Attribute("perm")?.AsInts().Select(v => checked((int)v)).ToArray()
            ?? Enumerable.Range(0, x.Length).Reverse().ToArray();
        return new TransposeKernel(node, node.Inputs[0], node.Outputs[0], x, perm);
    }

    private ConcatKernel Concat(Node node)
    {
        var y = Shape(node.Outputs[0]);
        long axis = IntAttribute(node, "axis", 0);
        int a = checked((int)(axis < 0 ? axis + y.Length : axis));
        int outer = y[..a].Aggregate(1, (p, d) => p * d);
        var inputs = node.Inputs.Where(i => i.Length > 0).ToList();
        var blocks = inputs.Select(i => Shape(i)[a..].Aggregate(1, (p, d) => p * d)).ToArray();
        var constants = inputs.Select((i, index) => model.IsConstant(i) ? ConstantFloats(node, node.Inputs.IndexOf(i), $"input {index}") : null).ToList();
        return new ConcatKernel(node, inputs.Where(i => !model.IsConstant(i)).ToList(), node.Outputs[0], outer, blocks, constants);
    }

    private PadKernel Pad(Node node)
    {
        var x = Shape(node.Inputs[0]);
        var y = Shape(node.Outputs[0]);
        int opset = model.Model.OpsetOf("") ?? 13;
        string mode = node.Attribute("mode")?.AsString() ?? "constant";
        if (mode is not ("constant" or "reflect" or "edge"))
        {
            throw Unsupported($"Pad mode '{mode}' is not emitted by the CPU target");
        }
        long[] pads;
        float value = 0f;
        if (opset < 11)
        {
            pads = node.Attribute("pads")?.AsInts().ToArray() ?? throw Unsupported("pads is missing");
            value = node.Attribute("value")?.AsFloat() ?? 0f;
        }
        else
        {
            pads = model.Constant(node.Inputs[1])?.ToInt64Array() ?? throw Unsupported("Pad's pads must be a constant for the CPU target");
            if (node.HasInput(2))
            {
                value = model.Constant(node.Inputs[2]) is { DataType: DataType.Float32, Length: 1 } v ? v.Span<float>()[0]
                    : throw Unsupported("Pad's constant_value must be a float32 constant for the CPU target");
            }
            if (node.HasInput(3))
            {
                throw Unsupported("Pad with axes is not emitted by the CPU target");
            }
        }
        if (pads.Length != 2 * x.Length || pads.Any(p => p < 0))
        {
            throw Unsupported("the CPU target emits Pad with non-negative pads for every axis only");
        }
        return new PadKernel(node, node.Inputs[0], node.Outputs[0], x, pads.Take(x.Length).Select(p => (int)p).ToArray(), mode, value) { OutputShape = y };
    }

    private BinaryKernel Binary(Node node)
    {
        if (node.Inputs.Length != 2)
        {
            throw Unsupported($"{node.OpType} of {node.Inputs.Length} inputs is not emitted by the CPU target (two are)");
        }
        var runtime = new List<string>();
        BinaryKernel.Operand Operand(int position)
        {
            string value = node.Inputs[position];
            if (model.Constant(value) is Tensor constant)
            {
                if (constant.DataType != DataType.Float32)
                {
                    throw Unsupported($"constant '{value}' is {constant.ElementType}; the CPU target emits float32 only");
                }
                return new(null, constant, OperandShape(node, position));
            }
            int index = runtime.IndexOf(value);
            if (index < 0)
            {
                runtime.Add(value);
                index = runtime.Count - 1;
            }
            return new(index, null, OperandShape(node, position));
        }
        var left = Operand(0);
        var right = Operand(1);
        return new BinaryKernel(node, runtime, node.Outputs[0], node.OpType, Shape(node.Outputs[0]), left, right);
    }
}

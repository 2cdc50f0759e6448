using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// The integer half of the lowering: what PostTrainingQuantizer writes (QuantizeLinear at the
/// inputs, neurite.QConv/QGemm/QAdd, MaxPool, Clip and data movement on the integers,
/// DequantizeLinear at the outputs) becomes integer kernels that compute the interpreter's bits.
/// Anything that could not be computed exactly (a per-axis QuantizeLinear, a broadcasting QAdd,
/// an attribute the kernels do not read) is refused with the node's name and op, never approximated.
/// </summary>
public sealed partial class CpuLowering
{
    private static readonly HashSet<string> IntegerDataMovement = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Transpose"];

    /// <summary>True for the nodes the integer lowering owns: the quantised ops, and pooling, clipping and data movement of integer tensors.</summary>
    private bool IsIntegerNode(Node node)
    {
        if (node.Domain == OpDomains.Neurite)
        {
            return node.OpType is "QConv" or "QGemm" or "QAdd";
        }
        if (node.Domain.Length != 0)
        {
            return false;
        }
        if (node.OpType is "QuantizeLinear" or "DequantizeLinear")
        {
            return true;
        }
        return (node.OpType is "MaxPool" or "Clip" || IntegerDataMovement.Contains(node.OpType))
            && node.Inputs.Length > 0 && !model.IsConstant(node.Inputs[0]) && model.TypeOf(node.Inputs[0]) is { } type
            && ScalarOf(type) is { IsInteger: true };
    }

    private void LowerIntegerNode(Node node)
    {
        switch (node.OpType)
        {
            case "QuantizeLinear":
                kernels.Add(Quantize(node));
                return;
            case "DequantizeLinear":
                kernels.Add(Dequantize(node));
                return;
            case "QConv":
                kernels.Add(IntegerConv(node));
                return;
            case "QGemm":
                kernels.Add(IntegerDense(node));
                return;
            case "QAdd":
                kernels.Add(IntegerAdd(node));
                return;
            case "MaxPool":
                kernels.Add(IntegerMaxPool(node));
                return;
            case "Clip":
                kernels.Add(IntegerClip(node));
                return;
            case "Transpose":
            {
                var x = Shape(node.Inputs[0]);
                var perm = node.Attribute("perm")?.AsInts().Select(v => checked((int)v)).ToArray() ?? Enumerable.Range(0, x.Length).Reverse().ToArray();
                kernels.Add(new TransposeKernel(node, node.Inputs[0], node.Outputs[0], x, perm, RuntimeScalar(node, node.Inputs[0]).Name));
                return;
            }
            default:
                LowerView(node);
                return;
        }
    }

    private static CScalar? ScalarOf(TensorType type) => CScalar.Of(type.ElementType.Storage);

    /// <summary>The C type of a runtime value of the node, which must be an integer or float32 tensor.</summary>
    private CScalar RuntimeScalar(Node node, string value)
    {
        if (model.IsConstant(value))
        {
            throw new CpuUnsupportedException($"'{value}' is a constant here; the CPU target emits {node.OpType} of a runtime tensor only");
        }
        var type = model.TypeOf(value) ?? throw new CpuUnsupportedException($"'{value}' has no known type");
        return ScalarOf(type) ?? throw new CpuUnsupportedException($"'{value}' is {type.ElementType}; the CPU target stores float32 and 8-, 16- and 32-bit integers only");
    }

    private CScalar IntegerInput(Node node, int index, bool allowInt32 = false)
    {
        var scalar = RuntimeScalar(node, node.Inputs[index]);
        if (!scalar.IsInteger || (!allowInt32 && scalar == CScalar.Int32))
        {
            throw new CpuUnsupportedException($"{node.OpType}'s input '{node.Inputs[index]}' is {scalar.ManifestName}; the CPU target emits it for 8- and 16-bit integer inputs");
        }
        return scalar;
    }

    private CScalar IntegerOutput(Node node)
    {
        var scalar = RuntimeScalar(node, node.Outputs[0]);
        return scalar.IsInteger ? scalar : throw new CpuUnsupportedException($"{node.OpType}'s output '{node.Outputs[0]}' is not an integer tensor");
    }

    /// <summary>A per-tensor scale: a constant float32 of one element.</summary>
    private float ScalarScale(Node node, int index)
    {
        var scale = model.Constant(node.Inputs[index]) ?? throw new CpuUnsupportedException($"the scale '{node.Inputs[index]}' must be a constant for the CPU target");
        if (scale.DataType != DataType.Float32 || scale.Length != 1)
        {
            throw new CpuUnsupportedException($"the scale '{node.Inputs[index]}' is {scale.ElementType}[{scale.Length}]; the CPU target emits per-tensor float32 scales only (not per-axis or blocked)");
        }
        return scale.Span<float>()[0];
    }

    /// <summary>A per-tensor zero point of the given storage, or null when the node has none.</summary>
    private int? ScalarZeroPoint(Node node, int index, CScalar storage)
    {
        if (!node.HasInput(index))
        {
            return null;
        }
        var zero = model.Constant(node.Inputs[index]) ?? throw new CpuUnsupportedException($"the zero point '{node.Inputs[index]}' must be a constant for the CPU target");
        if (zero.Length != 1 || CScalar.Of(zero.DataType) != storage)
        {
            throw new CpuUnsupportedException($"the zero point '{node.Inputs[index]}' is {zero.ElementType}[{zero.Length}]; the CPU target needs one {storage.ManifestName} value");
        }
        return Ir.Kernels.Quantization.IntegerValues.ToInt32(zero)[0];
    }

    private void RequireAttribute(Node node, string name, long expected, string why)
    {
        if (node.Attribute(name) is AttributeValue value && value.AsInt() != expected)
        {
            throw new CpuUnsupportedException($"{name}={value.AsInt()} is not emitted by the CPU target ({why})");
        }
    }

    private QuantizeKernel Quantize(Node node)
    {
        if (RuntimeScalar(node, node.Inputs[0]) != CScalar.Float)
        {
            throw new CpuUnsupportedException($"QuantizeLinear's input '{node.Inputs[0]}' must be float32 for the CPU target");
        }
        var output = IntegerOutput(node);
        if (output == CScalar.Int32)
        {
            throw new CpuUnsupportedException("QuantizeLinear to int32 is not emitted by the CPU target (its upper bound has no exact float32)");
        }
        float scale = ScalarScale(node, 1);
        int zero = ScalarZeroPoint(node, 2, output) ?? 0;
        // precision 0 divides in float32 for float32 x and scale; 1 (FLOAT) says so explicitly.
        if (node.Attribute("precision")?.AsInt() is long precision && precision is not (0 or 1))
        {
            throw new CpuUnsupportedException($"QuantizeLinear with precision={precision} is not emitted by the CPU target (it divides in float32)");
        }
        return new QuantizeKernel(node, node.Inputs[0], node.Outputs[0], output, Length(node.Outputs[0]), scale, zero);
    }

    private DequantizeKernel Dequantize(Node node)
    {
        var input = IntegerInput(node, 0, allowInt32: true);
        if (RuntimeScalar(node, node.Outputs[0]) != CScalar.Float)
        {
            throw new CpuUnsupportedException($"DequantizeLinear's output '{node.Outputs[0]}' must be float32 for the CPU target");
        }
        float scale = ScalarScale(node, 1);
        return new DequantizeKernel(node, node.Inputs[0], node.Outputs[0], Length(node.Outputs[0]), scale, ScalarZeroPoint(node, 2, input));
    }

    /// <summary>Constant int8 weights (int4 weights are int8 storage), as the node stores them.</summary>
    private sbyte[] IntegerWeights(Node node)
    {
        var w = model.Constant(node.Inputs[1]) ?? throw new CpuUnsupportedException($"{node.OpType}'s weights '{node.Inputs[1]}' must be a constant for the CPU target");
        if (w.DataType != DataType.Int8)
        {
            throw new CpuUnsupportedException($"{node.OpType}'s weights are {w.ElementType}; the CPU target emits int8 (and int4-in-int8) weights only");
        }
        return w.Span<sbyte>().ToArray();
    }

    private int[]? IntegerBias(Node node, int channels)
    {
        if (!node.HasInput(2))
        {
            return null;
        }
        var bias = model.Constant(node.Inputs[2]) ?? throw new CpuUnsupportedException($"{node.OpType}'s bias must be a constant for the CPU target");
        if (bias.DataType != DataType.Int32 || bias.Length != channels)
        {
            throw new CpuUnsupportedException($"{node.OpType}'s bias is {bias.ElementType}[{bias.Length}]; it must be int32 with one value per output channel ({channels})");
        }
        return bias.Span<int>().ToArray();
    }

    /// <summary>x_zero_point as the interpreter reads it, and as im2row pads with it: a value of the input's type.</summary>
    private static int InputZeroPoint(Node node, CScalar input)
    {
        int zero = unchecked((int)(node.Attribute("x_zero_point")?.AsInt() ?? 0));
        if (zero < input.Min || zero > input.Max)
        {
            throw new CpuUnsupportedException($"x_zero_point {zero} lies outside the input's {input.ManifestName} range; the CPU target pads with it");
        }
        return zero;
    }

    private IntegerConvKernel IntegerConv(Node node)
    {
        var input = IntegerInput(node, 0);
        var output = IntegerOutput(node);
        var x = Shape(node.Inputs[0]);
        var y = Shape(node.Outputs[0]);
        var wTensor = model.Constant(node.Inputs[1]) ?? throw new CpuUnsupportedException("QConv's weights must be a constant for the CPU target");
        var wShape = wTensor.ShapeArray();
        if (x.Length != wShape.Length || x.Length < 3)
        {
            throw new CpuUnsupportedException($"QConv of an input of rank {x.Length} and weights of rank {wShape.Length} is not emitted by the CPU target");
        }
        int groups = checked((int)IntAttribute(node, "group", 1));
        int outChannels = wShape[0];
        if (groups < 1 || x[1] % groups != 0 || outChannels % groups != 0 || wShape[1] * groups != x[1])
        {
            throw new CpuUnsupportedException($"group {groups} does not fit {x[1]} input channels, {outChannels} output channels and weights of {wShape[1]} channels per group");
        }
        if (node.Attribute("kernel_shape")?.AsInts() is { } kernelShape && !kernelShape.SequenceEqual(wShape[2..].Select(d => (long)d)))
        {
            throw new CpuUnsupportedException("QConv's kernel_shape differs from its weights' spatial shape");
        }
        var window = Window.Resolve(node, x, y, wShape[2..], out var problem) ?? throw new CpuUnsupportedException(problem!);
        var requantizer = Requantizer.Of(node, outChannels, output);
        return new IntegerConvKernel(node, node.Inputs[0], node.Outputs[0], input, output, x[0], x[1], outChannels, groups, window,
            IntegerWeights(node), IntegerBias(node, outChannels), InputZeroPoint(node, input), requantizer);
    }

    private IntegerDenseKernel IntegerDense(Node node)
    {
        var input = IntegerInput(node, 0);
        var output = IntegerOutput(node);
        var x = Shape(node.Inputs[0]);
        var wTensor = model.Constant(node.Inputs[1]) ?? throw new CpuUnsupportedException("QGemm's weights must be a constant for the CPU target");
        if (x.Length != 2 || wTensor.Rank != 2 || wTensor.Dim(1) != x[1])
        {
            throw new CpuUnsupportedException($"QGemm takes x [N, K] and w [M, K]; got [{string.Join(",", x)}] and [{string.Join(",", wTensor.ShapeArray())}]");
        }
        int outputs = wTensor.Dim(0);
        var requantizer = Requantizer.Of(node, outputs, output);
        return new IntegerDenseKernel(node, node.Inputs[0], node.Outputs[0], input, output, x[0], outputs, x[1],
            IntegerWeights(node), IntegerBias(node, outputs), InputZeroPoint(node, input), requantizer);
    }

    private IntegerAddKernel IntegerAdd(Node node)
    {
        var aType = IntegerInput(node, 0, allowInt32: true);
        var bType = IntegerInput(node, 1, allowInt32: true);
        var output = IntegerOutput(node);
        var y = Shape(node.Outputs[0]);
        if (!Shape(node.Inputs[0]).SequenceEqual(y) || !Shape(node.Inputs[1]).SequenceEqual(y))
        {
            throw new CpuUnsupportedException($"QAdd of shapes [{string.Join(",", Shape(node.Inputs[0]))}] and [{string.Join(",", Shape(node.Inputs[1]))}] broadcasts; the CPU target emits QAdd of equal shapes only");
        }
        (int ZeroPoint, int Headroom, int Mantissa, int Right) Operand(string zeroName, string multiplierName, CScalar type)
        {
            var (mantissa, right) = Multiplier(node, multiplierName);
            return (unchecked((int)(node.Attribute(zeroName)?.AsInt() ?? 0)), Ir.Ops.QAdd.Headroom(type.Size * 8), mantissa, right);
        }
        var a = Operand("a_zero_point", "a_multiplier", aType);
        var b = Operand("b_zero_point", "b_multiplier", bType);
        var (yMantissa, yRight) = Multiplier(node, "y_multiplier");
        var (zero, min, max) = Requantizer.Range(node, output);
        var requantizer = new Requantizer([yMantissa], [31 - yRight], zero, min, max);
        var inputs = node.Inputs[0] == node.Inputs[1] ? new[] { node.Inputs[0] } : new[] { node.Inputs[0], node.Inputs[1] };
        return new IntegerAddKernel(node, inputs, node.Outputs[0], output, Length(node.Outputs[0]), a, b, requantizer);
    }

    private static (int Mantissa, int Right) Multiplier(Node node, string name)
    {
        var pair = node.Attribute(name)?.AsInts() ?? throw new CpuUnsupportedException($"{name} is missing");
        if (pair.Length != 2 || pair[0] is < 0 or > int.MaxValue || pair[1] is < -31 or > 30)
        {
            throw new CpuUnsupportedException($"{name} must be [mantissa, shift] with a Q0.31 mantissa and a shift in [-31, 30]");
        }
        return Requantizer.Pair(pair);
    }

    private IntegerMaxPoolKernel IntegerMaxPool(Node node)
    {
        var type = IntegerInput(node, 0);
        if (node.Outputs.Length > 1 && node.Outputs[1].Length > 0 && (consumers.ContainsKey(node.Outputs[1]) || graphOutputs.Contains(node.Outputs[1])))
        {
            throw new CpuUnsupportedException("MaxPool's Indices output is not emitted by the CPU target");
        }
        var x = Shape(node.Inputs[0]);
        var y = Shape(node.Outputs[0]);
        var kernelShape = node.Attribute("kernel_shape")?.AsInts().Select(v => checked((int)v)).ToArray() ?? throw new CpuUnsupportedException("kernel_shape is missing");
        var window = Window.Resolve(node, x, y, kernelShape, out var problem) ?? throw new CpuUnsupportedException(problem!);
        RequireAttribute(node, "storage_order", 0, "it orders Indices only, which are not emitted");
        return new IntegerMaxPoolKernel(node, node.Inputs[0], node.Outputs[0], type, x[0] * x[1], window);
    }

    private IntegerClipKernel IntegerClip(Node node)
    {
        var type = IntegerInput(node, 0, allowInt32: true);
        if ((model.Model.OpsetOf("") ?? 13) < 11)
        {
            throw new CpuUnsupportedException("Clip of integers before opset 11 (float bounds) is not emitted by the CPU target");
        }
        long? Bound(int index)
        {
            if (!node.HasInput(index))
            {
                return null;
            }
            var bound = model.Constant(node.Inputs[index]) ?? throw new CpuUnsupportedException($"Clip's bound '{node.Inputs[index]}' must be a constant for the CPU target");
            if (bound.Length != 1 || CScalar.Of(bound.DataType) != type)
            {
                throw new CpuUnsupportedException($"Clip's bound '{node.Inputs[index]}' must be one {type.ManifestName} value");
            }
            return Ir.Kernels.Quantization.IntegerValues.ToInt32(bound)[0];
        }
        return new IntegerClipKernel(node, node.Inputs[0], node.Outputs[0], type, Length(node.Outputs[0]), Bound(1), Bound(2));
    }
}

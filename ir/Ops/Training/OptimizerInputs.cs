using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// The layout the ai.onnx.preview.training optimizers share: learning rate R and step count T,
/// then n tensors to optimise and n tensors of each kind of state, grouped by kind
/// (X1..Xn, G1..Gn, V1..Vn, ...). Outputs are the new values grouped the same way. The update is
/// elementwise and computed in float64, then rounded to each tensor's own type.
/// </summary>
internal static class OptimizerInputs
{
    /// <summary>R, T, then the grouped tensors; the op's attributes are added by <paramref name="attributes"/>.</summary>
    public static OpSignature Signature(Func<OpSignature.Builder, OpSignature.Builder> attributes) =>
        attributes(OpSignature.Create().Input("R").Input("T").Variadic("inputs").VariadicOutput("outputs")).Build();

    /// <summary>How many tensors are optimised, given <paramref name="groups"/> input groups after R and T.</summary>
    public static int TensorCount(int inputCount, int groups)
    {
        int rest = inputCount - 2;
        if (rest <= 0 || rest % groups != 0)
        {
            throw new InvalidNodeException($"expected R, T and {groups} groups of equally many tensors, got {inputCount} inputs");
        }
        return rest / groups;
    }

    /// <summary>Each output has the type of the input it updates: output group g, tensor i mirrors input group <paramref name="inputGroupOf"/>[g].</summary>
    public static IReadOnlyList<IrType?> Infer(InferenceContext context, int groups, int[] inputGroupOf)
    {
        int n = TensorCount(context.InputCount, groups);
        var types = new IrType?[inputGroupOf.Length * n];
        for (int g = 0; g < inputGroupOf.Length; g++)
        {
            for (int i = 0; i < n; i++)
            {
                types[g * n + i] = context.InputType(2 + inputGroupOf[g] * n + i);
            }
        }
        return types;
    }

    /// <summary>The learning rate R (input 0) or the step count T (input 1), each a single number.</summary>
    public static double Scalar(EvaluationContext context, int index)
    {
        var value = context.Input(index);
        return value.Length == 1
            ? value.GetDouble(0)
            : throw new InvalidNodeException($"{(index == 0 ? "R" : "T")} must be a single number, got shape [{string.Join(", ", value.ShapeArray())}]");
    }

    /// <summary>
    /// Input <paramref name="index"/> in float64. Gradients and states are updated elementwise
    /// with the tensor they belong to (input <paramref name="like"/>), so they must share its shape.
    /// </summary>
    public static double[] Values(EvaluationContext context, int index, int like)
    {
        var value = context.Input(index);
        var owner = context.Input(like);
        if (!value.Shape.SequenceEqual(owner.Shape))
        {
            throw new InvalidNodeException(
                $"input {index} has shape [{string.Join(", ", value.ShapeArray())}] but the tensor it updates (input {like}) has [{string.Join(", ", owner.ShapeArray())}]");
        }
        return TensorConvert.Convert(value, DataType.Float64).ToArray<double>();
    }

    /// <summary>Sets output <paramref name="output"/> to <paramref name="values"/> in the shape and type of input <paramref name="like"/>.</summary>
    public static void Set(EvaluationContext context, int output, double[] values, int like)
    {
        var template = context.Input(like);
        context.SetOutput(output, TensorConvert.Convert(Tensor.Create(ElementType.Float64, values, template.Shape), template.ElementType));
    }
}

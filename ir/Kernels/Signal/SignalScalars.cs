namespace Neurite.Ir.Kernels.Signal;

/// <summary>
/// The scalar inputs of the signal ops (sizes, steps, frequencies), read with a clear error when
/// a tensor is not the single number the op expects.
/// </summary>
public static class SignalScalars
{
    public static long Integer(Tensor value, string what)
    {
        if (value.Length != 1 || !value.DataType.IsInteger())
        {
            throw new InvalidNodeException($"{what} must be a single integer, got a {value.ElementType} tensor of shape [{string.Join(",", value.Shape.ToArray())}]");
        }
        return value.GetInt64(0);
    }

    public static double Real(Tensor value, string what)
    {
        if (value.Length != 1 || value.DataType == DataType.String)
        {
            throw new InvalidNodeException($"{what} must be a single number, got a {value.ElementType} tensor of shape [{string.Join(",", value.Shape.ToArray())}]");
        }
        return value.GetDouble(0);
    }

    /// <summary>The value of input <paramref name="index"/> when inference knows it, else null.</summary>
    public static long? ConstantInteger(InferenceContext context, int index, string what) =>
        context.HasInput(index) && context.ConstantInput(index) is Tensor t ? Integer(t, what) : null;
}

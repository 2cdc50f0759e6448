namespace Neurite.Ir.Kernels;

/// <summary>
/// Element type conversion for Cast and CastLike: <see cref="TensorConvert"/> with the op's
/// saturate and round_mode, plus strings, which parse and print as the reference (numpy) does.
/// </summary>
public static class CastKernel
{
    public static Tensor Run(Tensor x, ElementType target, bool saturate, PowerOfTwoRounding rounding)
    {
        if (x.DataType == target.Storage)
        {
            return x.ElementType.Equals(target) ? x : x.WithElementType(target);
        }
        if (x.DataType == DataType.String)
        {
            return StringConversion.Parse(x, target, (numbers, type) => TensorConvert.Convert(numbers, type, saturate, rounding));
        }
        if (target.Storage == DataType.String)
        {
            return StringConversion.Format(x);
        }
        return TensorConvert.Convert(x, target, saturate, rounding);
    }
}

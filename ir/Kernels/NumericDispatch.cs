using System.Numerics;

namespace Neurite.Ir.Kernels;

/// <summary>A numeric computation written once for any <see cref="INumber{T}"/> element type.</summary>
public interface INumericBinary
{
    static abstract Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, INumber<T>;
}

/// <summary>A numeric computation of one tensor written once for any <see cref="INumber{T}"/> element type.</summary>
public interface INumericUnary
{
    static abstract Tensor Run<T>(Tensor x) where T : unmanaged, INumber<T>;
}

/// <summary>
/// Picks the CLR type for a tensor's storage and calls the generic implementation with it.
/// float16 and bfloat16 are computed in float32 and rounded back, as ONNX Runtime's CPU kernels do.
/// </summary>
public static class NumericDispatch
{
    public static Tensor Binary<TImpl>(Tensor a, Tensor b) where TImpl : INumericBinary
    {
        if (a.DataType != b.DataType)
        {
            throw new InvalidNodeException($"expected inputs of one element type, got {a.ElementType} and {b.ElementType}");
        }
        return HalfPrecision.IsHalf(a.DataType)
            ? RoundBack(Binary<TImpl>(TensorConvert.ToFloat32(a), TensorConvert.ToFloat32(b)), a.DataType)
            : NumericTypeSwitch.Visit<BinaryVisitor<TImpl>, Tensor>(a.DataType, new(a, b));
    }

    public static Tensor Unary<TImpl>(Tensor x) where TImpl : INumericUnary =>
        HalfPrecision.IsHalf(x.DataType)
            ? RoundBack(Unary<TImpl>(TensorConvert.ToFloat32(x)), x.DataType)
            : NumericTypeSwitch.Visit<UnaryVisitor<TImpl>, Tensor>(x.DataType, new(x));

    /// <summary>Float-only computations (Exp, Sigmoid, ...): float32 and float64 natively, half types through float32.</summary>
    public static Tensor Float<TImpl>(Tensor x) where TImpl : INumericUnary => x.DataType switch
    {
        DataType.Float32 => TImpl.Run<float>(x),
        DataType.Float64 => TImpl.Run<double>(x),
        DataType.Float16 or DataType.BFloat16 => RoundBack(TImpl.Run<float>(TensorConvert.ToFloat32(x)), x.DataType),
        _ => throw new InvalidNodeException($"expected a float tensor (float16, bfloat16, float32 or float64), got {x.ElementType}"),
    };

    private static Tensor RoundBack(Tensor result, DataType original) =>
        result.DataType == DataType.Float32 ? TensorConvert.Convert(result, original) : result;

    private readonly struct BinaryVisitor<TImpl>(Tensor a, Tensor b) : INumericVisitor<Tensor> where TImpl : INumericBinary
    {
        public Tensor Visit<T>() where T : unmanaged, INumber<T> => TImpl.Run<T>(a, b);
    }

    private readonly struct UnaryVisitor<TImpl>(Tensor x) : INumericVisitor<Tensor> where TImpl : INumericUnary
    {
        public Tensor Visit<T>() where T : unmanaged, INumber<T> => TImpl.Run<T>(x);
    }
}

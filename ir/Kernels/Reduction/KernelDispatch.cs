using System.Numerics;

namespace Neurite.Ir.Kernels.Reduction;

/// <summary>A computation written once for any numeric element type; a struct carries its parameters.</summary>
public interface INumberKernel
{
    Tensor Run<T>(Tensor x) where T : unmanaged, INumber<T>;
}

/// <summary>A computation written once for IEEE float element types (exp, log, sqrt are available).</summary>
public interface IFloatKernel
{
    Tensor Run<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// Like <see cref="NumericDispatch"/>, for kernels that carry parameters (axes, modes) in a struct
/// instead of static state. float16 and bfloat16 are computed in float32; a float32 result is
/// rounded back to the input's type, any other result (int64 indices) is returned as it is.
/// </summary>
public static class KernelDispatch
{
    public static Tensor Number<TKernel>(Tensor x, TKernel kernel) where TKernel : INumberKernel => x.DataType switch
    {
        DataType.Float32 => kernel.Run<float>(x),
        DataType.Float64 => kernel.Run<double>(x),
        DataType.Int8 => kernel.Run<sbyte>(x),
        DataType.Int16 => kernel.Run<short>(x),
        DataType.Int32 => kernel.Run<int>(x),
        DataType.Int64 => kernel.Run<long>(x),
        DataType.UInt8 => kernel.Run<byte>(x),
        DataType.UInt16 => kernel.Run<ushort>(x),
        DataType.UInt32 => kernel.Run<uint>(x),
        DataType.UInt64 => kernel.Run<ulong>(x),
        DataType.Float16 or DataType.BFloat16 => RoundBack(kernel.Run<float>(TensorConvert.ToFloat32(x)), x.ElementType),
        _ => throw new InvalidNodeException($"{x.ElementType} elements are not supported here; expected a numeric type"),
    };

    public static Tensor Float<TKernel>(Tensor x, TKernel kernel) where TKernel : IFloatKernel => x.DataType switch
    {
        DataType.Float32 => kernel.Run<float>(x),
        DataType.Float64 => kernel.Run<double>(x),
        DataType.Float16 or DataType.BFloat16 => RoundBack(kernel.Run<float>(TensorConvert.ToFloat32(x)), x.ElementType),
        _ => throw new InvalidNodeException($"{x.ElementType} elements are not supported here; expected a float type"),
    };

    /// <summary>A float32 result back in <paramref name="original"/>'s element type (other results unchanged).</summary>
    private static Tensor RoundBack(Tensor result, ElementType original) =>
        result.DataType == DataType.Float32 && original.Storage != DataType.Float32 ? TensorConvert.Convert(result, original) : result;
}

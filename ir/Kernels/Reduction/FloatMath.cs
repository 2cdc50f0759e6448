using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Neurite.Ir.Kernels.Reduction;

/// <summary>
/// Square roots and logarithms in place for the finishing step of a generic reduction:
/// vectorised for float32 and float64. Other types go through float64 with truncation, as the
/// reference casts its float results back (ReductionOp itself widens integers to float64 first).
/// </summary>
public static class FloatMath
{
    public static void Sqrt<T>(Span<T> values) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            var floats = MemoryMarshal.Cast<T, float>(values);
            TensorPrimitives.Sqrt(floats, floats);
        }
        else if (typeof(T) == typeof(double))
        {
            var doubles = MemoryMarshal.Cast<T, double>(values);
            TensorPrimitives.Sqrt(doubles, doubles);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateSaturating(Math.Sqrt(double.CreateChecked(values[i])));
            }
        }
    }

    public static void Log<T>(Span<T> values) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            var floats = MemoryMarshal.Cast<T, float>(values);
            TensorPrimitives.Log(floats, floats);
        }
        else if (typeof(T) == typeof(double))
        {
            var doubles = MemoryMarshal.Cast<T, double>(values);
            TensorPrimitives.Log(doubles, doubles);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateSaturating(Math.Log(double.CreateChecked(values[i])));
            }
        }
    }
}

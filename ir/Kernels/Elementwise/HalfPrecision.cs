using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels;

/// <summary>
/// float16 and bfloat16 tensors are computed in float32 and rounded back (what ONNX Runtime's CPU
/// kernels do). These conversions hand out fresh float32 arrays the caller may overwrite.
/// </summary>
public static class HalfPrecision
{
    public static bool IsHalf(DataType type) => type is DataType.Float16 or DataType.BFloat16;

    /// <summary>A new float32 array holding the elements of a float32, float16, bfloat16 or narrow float tensor (all exact).</summary>
    public static float[] Widen(Tensor x)
    {
        var result = GC.AllocateUninitializedArray<float>(x.Length);
        switch (x.DataType)
        {
            case DataType.Float16:
                TensorPrimitives.ConvertToSingle(x.Span<Half>(), result);
                break;
            case DataType.BFloat16:
                var source = x.Span<BFloat16>();
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (float)source[i];
                }
                break;
            case DataType.Float32:
                x.Span<float>().CopyTo(result);
                break;
            case var narrow when narrow.IsNarrowFloat():
                NarrowFloat.ToFloat(narrow, x.Span<byte>(), result);
                break;
            default:
                throw new ArgumentException($"{x.ElementType} does not widen to float32 exactly");
        }
        return result;
    }

    /// <summary>Rounds float32 values to a tensor of <paramref name="type"/> (float16 or bfloat16; float32 is taken as is).</summary>
    public static Tensor Narrow(float[] values, ElementType type, ReadOnlySpan<int> shape)
    {
        switch (type.Storage)
        {
            case DataType.Float16:
                var halves = GC.AllocateUninitializedArray<Half>(values.Length);
                TensorPrimitives.ConvertToHalf(values, halves);
                return Tensor.Create(type, halves, shape);
            case DataType.BFloat16:
                var brains = GC.AllocateUninitializedArray<BFloat16>(values.Length);
                for (int i = 0; i < values.Length; i++)
                {
                    brains[i] = (BFloat16)values[i];
                }
                return Tensor.Create(type, brains, shape);
            case DataType.Float32:
                return Tensor.Create(type, values, shape);
            default:
                throw new ArgumentException($"{type} is not a half-precision float type");
        }
    }
}

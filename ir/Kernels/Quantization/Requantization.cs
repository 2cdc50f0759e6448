using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// Turns int32 accumulators back into 8-bit outputs as QLinearConv and QLinearMatMul specify:
/// y = saturate(round_half_even(acc · multiplier) + y_zero_point), with the multiplier
/// (a_scale · b_scale) / y_scale rounded as the scales' own type computes it. The product is
/// formed in float32, as ONNX Runtime's kernels form it: ONNX's numpy reference promotes it to
/// float64, and the two differ on rare near-ties by one step, which then compounds through deep
/// quantised networks (ShuffleNet-v2 int8 ends 0.34 apart). ONNX Runtime is what users compare
/// against, and the conformance cases pass either way.
/// </summary>
public static class Requantization
{
    /// <summary>(a_scale · b_scale) / y_scale with each step rounded to <paramref name="scaleType"/> (float32, float16 or bfloat16).</summary>
    public static float Multiplier(float inputScale, float weightScale, float outputScale, DataType scaleType)
    {
        float product = RoundTo(inputScale * weightScale, scaleType);
        return RoundTo(product / outputScale, scaleType);
    }

    private static float RoundTo(float value, DataType type) => type switch
    {
        DataType.Float16 => (float)(Half)value,
        DataType.BFloat16 => (float)(BFloat16)value,
        _ => value,
    };

    /// <summary>The values an output of <paramref name="outputType"/> (int8 or uint8) can hold: the saturation bounds.</summary>
    public static (int Min, int Max) Range(ElementType outputType) => outputType.Storage switch
    {
        DataType.UInt8 => (byte.MinValue, byte.MaxValue),
        DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        _ => throw new InvalidNodeException($"the output zero point must be int8 or uint8, got {outputType}"),
    };

    /// <summary>Requantises <paramref name="values"/> in place, every one with the same multiplier.</summary>
    public static void Requantize(Span<int> values, float multiplier, int zeroPoint, (int Min, int Max) range)
    {
        float offset = zeroPoint, lower = range.Min, upper = range.Max;
        int i = 0;
        if (Avx.IsSupported)
        {
            ref int start = ref MemoryMarshal.GetReference(values);
            var scale = Vector256.Create(multiplier);
            var offsets = Vector256.Create(offset);
            var lowers = Vector256.Create(lower);
            var uppers = Vector256.Create(upper);
            for (; i + 8 <= values.Length; i += 8)
            {
                Step(Vector256.LoadUnsafe(ref start, (nuint)i), scale, offsets, lowers, uppers).StoreUnsafe(ref start, (nuint)i);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = Step(values[i], multiplier, offset, lower, upper);
        }
    }

    /// <summary>Requantises <paramref name="values"/> in place, each with its own multiplier (per-column scales).</summary>
    public static void Requantize(Span<int> values, ReadOnlySpan<float> multipliers, int zeroPoint, (int Min, int Max) range)
    {
        if (multipliers.Length != values.Length)
        {
            throw new ArgumentException($"{multipliers.Length} multipliers for {values.Length} values");
        }
        float offset = zeroPoint, lower = range.Min, upper = range.Max;
        int i = 0;
        if (Avx.IsSupported)
        {
            ref int start = ref MemoryMarshal.GetReference(values);
            ref float scales = ref MemoryMarshal.GetReference(multipliers);
            var offsets = Vector256.Create(offset);
            var lowers = Vector256.Create(lower);
            var uppers = Vector256.Create(upper);
            for (; i + 8 <= values.Length; i += 8)
            {
                Step(Vector256.LoadUnsafe(ref start, (nuint)i), Vector256.LoadUnsafe(ref scales, (nuint)i), offsets, lowers, uppers)
                    .StoreUnsafe(ref start, (nuint)i);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = Step(values[i], multipliers[i], offset, lower, upper);
        }
    }

    /// <summary>
    /// Requantises, in place, rows of <paramref name="rowLength"/> accumulators, row r with
    /// <c>multipliers[r % multipliers.Length]</c> and the matching zero point (one per output
    /// channel of a convolution), and gives them as a tensor of <paramref name="outputType"/>.
    /// </summary>
    public static Tensor Rows(int[] accumulators, int rowLength, float[] multipliers, int[] zeroPoints, ElementType outputType, ReadOnlySpan<int> shape)
    {
        var range = Range(outputType);
        for (int start = 0, row = 0; start < accumulators.Length; start += rowLength, row++)
        {
            int p = row % multipliers.Length;
            Requantize(accumulators.AsSpan(start, rowLength), multipliers[p], zeroPoints[p], range);
        }
        return ToTensor(accumulators, outputType, shape);
    }

    /// <summary>Requantised values (already within <see cref="Range"/>) as a tensor of <paramref name="outputType"/>.</summary>
    public static Tensor ToTensor(int[] values, ElementType outputType, ReadOnlySpan<int> shape) => outputType.Storage switch
    {
        DataType.UInt8 => Tensor.Create(outputType, Narrow<byte>(values), shape),
        DataType.Int8 => Tensor.Create(outputType, Narrow<sbyte>(values), shape),
        _ => throw new InvalidNodeException($"the output zero point must be int8 or uint8, got {outputType}"),
    };

    private static T[] Narrow<T>(int[] values) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var result = new T[values.Length];
        Narrowing.FromInts<T>(values, result);
        return result;
    }

    /// <summary>Eight accumulators: the product rounded half to even, shifted by the zero point, saturated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Step(Vector256<int> accumulators, Vector256<float> multipliers,
        Vector256<float> offset, Vector256<float> lower, Vector256<float> upper)
    {
        var value = Avx.Add(Avx.RoundToNearestInteger(Avx.Multiply(Avx.ConvertToVector256Single(accumulators), multipliers)), offset);
        return Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(value, lower), upper));
    }

    /// <summary>
    /// One accumulator, exactly as the vector <see cref="Step(Vector256{int}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float})"/>
    /// computes it, so a tensor's tail and its vector blocks agree: MAXPS and MINPS give their
    /// second operand when one is NaN, so a NaN product (a zero or NaN scale) saturates to the lower bound.
    /// </summary>
    private static int Step(int accumulator, float multiplier, float offset, float lower, float upper)
    {
        float value = MathF.Round(accumulator * multiplier, MidpointRounding.ToEven) + offset;
        value = value > lower ? value : lower;
        return (int)(value < upper ? value : upper);
    }
}

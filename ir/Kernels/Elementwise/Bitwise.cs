using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels;

/// <summary>
/// Bitwise and, or and exclusive or as <see cref="IBinaryOp{TIn, TOut}"/> structs, vectorised
/// through TensorPrimitives: the BitwiseAnd/Or/Xor ops on integers, and And/Or/Xor on bools
/// read as their bytes (see <see cref="LogicalBinary"/>).
/// </summary>
public static class Bitwise
{
    public readonly struct And<T> : IBinaryOp<T, T> where T : unmanaged, IBinaryInteger<T>
    {
        public static T Apply(T a, T b) => a & b;

        public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
        {
            TensorPrimitives.BitwiseAnd(a, b, result);
            return true;
        }

        public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
        {
            TensorPrimitives.BitwiseAnd(a, b, result);
            return true;
        }

        public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
        {
            TensorPrimitives.BitwiseAnd(b, a, result);
            return true;
        }
    }

    public readonly struct Or<T> : IBinaryOp<T, T> where T : unmanaged, IBinaryInteger<T>
    {
        public static T Apply(T a, T b) => a | b;

        public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
        {
            TensorPrimitives.BitwiseOr(a, b, result);
            return true;
        }

        public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
        {
            TensorPrimitives.BitwiseOr(a, b, result);
            return true;
        }

        public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
        {
            TensorPrimitives.BitwiseOr(b, a, result);
            return true;
        }
    }

    public readonly struct Xor<T> : IBinaryOp<T, T> where T : unmanaged, IBinaryInteger<T>
    {
        public static T Apply(T a, T b) => a ^ b;

        public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
        {
            TensorPrimitives.Xor(a, b, result);
            return true;
        }

        public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
        {
            TensorPrimitives.Xor(a, b, result);
            return true;
        }

        public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
        {
            TensorPrimitives.Xor(b, a, result);
            return true;
        }
    }
}

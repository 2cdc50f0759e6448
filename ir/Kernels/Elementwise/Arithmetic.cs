using System.Numerics;
using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels;

// The arithmetic of two numbers as IBinaryOp structs, vectorised through TensorPrimitives, for
// the elementwise ops (Add, Sub, ...) and for kernels that broadcast arithmetic through Elementwise.

/// <summary>a + b.</summary>
public readonly struct Sum<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a + b;

    public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Add(a, b, result);
        return true;
    }

    public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
    {
        TensorPrimitives.Add(a, b, result);
        return true;
    }

    public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Add(b, a, result);
        return true;
    }
}

/// <summary>a − b.</summary>
public readonly struct Difference<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a - b;

    public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Subtract(a, b, result);
        return true;
    }

    public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
    {
        TensorPrimitives.Subtract(a, b, result);
        return true;
    }

    public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Subtract(a, b, result);
        return true;
    }
}

/// <summary>a · b.</summary>
public readonly struct Product<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a * b;

    public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Multiply(a, b, result);
        return true;
    }

    public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
    {
        TensorPrimitives.Multiply(a, b, result);
        return true;
    }

    public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Multiply(b, a, result);
        return true;
    }
}

/// <summary>
/// a / b. Integers truncate toward zero and never throw (see <see cref="IntegerDivision.Quotient"/>),
/// so only floats take the vectorised path.
/// </summary>
public readonly struct Quotient<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => NumericMap.IsFloat<T>() ? a / b : IntegerDivision.Quotient(a, b);

    public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
    {
        if (!NumericMap.IsFloat<T>())
        {
            return false;
        }
        TensorPrimitives.Divide(a, b, result);
        return true;
    }

    public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
    {
        if (!NumericMap.IsFloat<T>())
        {
            return false;
        }
        TensorPrimitives.Divide(a, b, result);
        return true;
    }

    public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
    {
        if (!NumericMap.IsFloat<T>())
        {
            return false;
        }
        TensorPrimitives.Divide(a, b, result);
        return true;
    }
}

/// <summary>The larger of a and b; NaN if either is NaN (IEEE 754:2019 maximum, numpy.maximum).</summary>
public readonly struct Maximum<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.Max(a, b);

    public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Max(a, b, result);
        return true;
    }

    public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
    {
        TensorPrimitives.Max(a, b, result);
        return true;
    }

    public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Max(b, a, result);
        return true;
    }
}

/// <summary>The smaller of a and b; NaN if either is NaN (IEEE 754:2019 minimum, numpy.minimum).</summary>
public readonly struct Minimum<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.Min(a, b);

    public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Min(a, b, result);
        return true;
    }

    public static bool TryApply(ReadOnlySpan<T> a, T b, Span<T> result)
    {
        TensorPrimitives.Min(a, b, result);
        return true;
    }

    public static bool TryApply(T a, ReadOnlySpan<T> b, Span<T> result)
    {
        TensorPrimitives.Min(b, a, result);
        return true;
    }
}

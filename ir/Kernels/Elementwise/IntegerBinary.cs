using System.Numerics;

namespace Neurite.Ir.Kernels;

/// <summary>A computation of two tensors written once for any <see cref="IBinaryInteger{T}"/> element type.</summary>
public interface IIntegerBinary
{
    static abstract Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, IBinaryInteger<T>;
}

/// <summary>Runs a binary integer kernel (the bitwise ops') after checking both inputs share an integer element type.</summary>
public static class IntegerBinary
{
    public static Tensor Run<TImpl>(Tensor a, Tensor b, string opName) where TImpl : IIntegerBinary
    {
        if (a.DataType != b.DataType)
        {
            throw new InvalidNodeException($"{opName} takes two tensors of one integer type, got {a.ElementType} and {b.ElementType}");
        }
        return NumericTypeSwitch.VisitInteger<Visitor<TImpl>, Tensor>(a.DataType, new(a, b), opName);
    }

    private readonly struct Visitor<TImpl>(Tensor a, Tensor b) : IIntegerVisitor<Tensor> where TImpl : IIntegerBinary
    {
        public Tensor Visit<T>() where T : unmanaged, IBinaryInteger<T> => TImpl.Run<T>(a, b);
    }
}

using System.Runtime.InteropServices;

namespace Neurite.Ir.Kernels;

/// <summary>
/// And, Or, Xor over broadcast bool tensors. Bool elements are always the bytes 0 and 1, so the
/// bitwise op on the bytes (<see cref="Bitwise"/>) is the logical op, vectorised.
/// </summary>
public static class LogicalBinary
{
    public static Tensor Run<TBitwiseOp>(Tensor a, Tensor b, string opName) where TBitwiseOp : IBinaryOp<byte, byte>
    {
        if (a.DataType != DataType.Bool || b.DataType != DataType.Bool)
        {
            throw new InvalidNodeException($"{opName} takes bool tensors, got {a.ElementType} and {b.ElementType}");
        }
        var shape = Broadcasting.Shape(a.Shape, b.Shape);
        var result = GC.AllocateUninitializedArray<bool>(Tensor.ElementCountOf(shape));
        Elementwise.Binary<byte, byte, TBitwiseOp>(a.Bytes, a.Shape, b.Bytes, b.Shape, MemoryMarshal.Cast<bool, byte>(result.AsSpan()), shape);
        return Tensor.Create(ElementType.Bool, result, shape);
    }

    public static IReadOnlyList<IrType?> Infer(InferenceContext context)
    {
        for (int i = 0; i < 2; i++)
        {
            if (context.InputTensorType(i) is TensorType t && t.ElementType.Storage != DataType.Bool)
            {
                throw new InvalidNodeException($"{context.Node.OpType} takes bool tensors, input {i} is {t.ElementType}");
            }
        }
        return Comparison.Infer(context);
    }
}

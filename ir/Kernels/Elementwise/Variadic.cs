using System.Numerics;

namespace Neurite.Ir.Kernels;

/// <summary>
/// Variadic elementwise ops (Max, Min, Sum, Mean) fold their inputs pairwise with numpy
/// broadcasting; before opset 8 all inputs had one shape, which folding handles alike.
/// </summary>
public static class Variadic
{
    public static readonly OpSignature Signature = OpSignature.Create()
        .Variadic("data_0").Output("result").Attr("consumed_inputs", AttributeKind.Ints).Build();

    public static Tensor Fold<TImpl>(EvaluationContext context) where TImpl : INumericBinary
    {
        var result = context.Input(0);
        for (int i = 1; i < context.InputCount; i++)
        {
            result = NumericDispatch.Binary<TImpl>(result, context.Input(i));
        }
        return result;
    }

    /// <summary>The broadcast sum; Mean divides it.</summary>
    public readonly struct Sum : INumericBinary
    {
        public static Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, INumber<T> => Elementwise.Binary<T, T, Sum<T>>(a, b);
    }
}

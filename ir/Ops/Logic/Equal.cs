using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>Equal: true where A equals B, with broadcasting; numbers, bool and (opset 19 on) strings.</summary>
public sealed class Equal : OpDefinition
{
    public override string Name => "Equal";

    public override OpSignature Signature { get; } = LegacyBroadcast.Signature;

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => Comparison.Infer(context);

    public override void Evaluate(EvaluationContext context)
    {
        var a = context.Input(0);
        var b = LegacyBroadcast.AlignRight(context);
        context.SetOutput(0, a.DataType == DataType.String && b.DataType == DataType.String
            ? StringsEqual(a, b)
            : Comparison.Run<Comparer>(a, b, Name));
    }

    private static Tensor StringsEqual(Tensor a, Tensor b)
    {
        var shape = Broadcasting.Shape(a.Shape, b.Shape);
        var rows = new StringRows(a, b, new bool[Tensor.ElementCountOf(shape)]);
        BroadcastWalk.Run(shape, [a.ShapeArray(), b.ShapeArray()], ref rows);
        return Tensor.Create(ElementType.Bool, rows.Result, shape);
    }

    private readonly struct StringRows(Tensor a, Tensor b, bool[] result) : IRowVisitor
    {
        public bool[] Result => result;

        public void Row(int outputOffset, int length, scoped ReadOnlySpan<int> inputOffsets, scoped ReadOnlySpan<int> innerStrides)
        {
            var left = a.Strings;
            var right = b.Strings;
            for (int j = 0; j < length; j++)
            {
                result[outputOffset + j] = string.Equals(
                    left[inputOffsets[0] + j * innerStrides[0]], right[inputOffsets[1] + j * innerStrides[1]], StringComparison.Ordinal);
            }
        }
    }

    private readonly struct Comparer : IComparison
    {
        public static bool Test<T>(T a, T b) where T : INumber<T> => a == b;
    }
}

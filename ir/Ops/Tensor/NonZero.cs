using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>NonZero: the coordinates of the non-zero elements in row-major order, as int64 [rank, count] (a scalar counts as rank 1, like numpy).</summary>
public sealed class NonZero : OpDefinition
{
    public override string Name => "NonZero";

    public override int SinceVersion => 9;

    public override OpSignature Signature { get; } = OpSignature.Create().Input("X").Output("Y").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var input = context.InputTensorType(0);
        Dim rank = input is { Shape.IsRankKnown: true } t ? Dim.Known(Math.Max(t.Shape.Rank, 1)) : Dim.Unknown;
        return TensorOpTypes.Single(ElementType.Int64, Shape.Of(rank, Dim.Unknown));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var shape = x.Rank == 0 ? [1] : x.ShapeArray();
        var found = new List<int>();
        for (int i = 0; i < x.Length; i++)
        {
            if (IsNonZero(x, i))
            {
                found.Add(i);
            }
        }
        var strides = Broadcasting.ContiguousStrides(shape);
        var result = new long[shape.Length * found.Count];
        for (int j = 0; j < found.Count; j++)
        {
            int rest = found[j];
            for (int d = 0; d < shape.Length; d++)
            {
                result[d * found.Count + j] = rest / strides[d];
                rest %= strides[d];
            }
        }
        context.SetOutput(0, Tensor.Create(result, shape.Length, found.Count));
    }

    private static bool IsNonZero(Tensor x, int i) => x.DataType switch
    {
        DataType.String => x.Strings[i].Length > 0,
        DataType.Int64 => x.Span<long>()[i] != 0,
        DataType.UInt64 => x.Span<ulong>()[i] != 0,
        _ => x.GetDouble(i) != 0,
    };
}

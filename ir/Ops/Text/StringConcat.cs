using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>StringConcat (opset 20): elementwise concatenation of two string tensors, with broadcasting.</summary>
public sealed class StringConcat : OpDefinition
{
    public override string Name => "StringConcat";
    public override int SinceVersion => 20;

    public override OpSignature Signature { get; } = OpSignature.Create().Input("X").Input("Y").Output("Z").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        for (int i = 0; i < 2; i++)
        {
            if (context.InputTensorType(i) is { } t && t.ElementType.Storage != DataType.String)
            {
                throw new InvalidNodeException($"StringConcat needs string tensors, input {i} is {t.ElementType}");
            }
        }
        return TypeRules.Broadcast(context);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var y = context.Input(1);
        if (x.DataType != DataType.String || y.DataType != DataType.String)
        {
            throw new InvalidNodeException($"StringConcat needs string tensors, got {x.ElementType} and {y.ElementType}");
        }
        var shape = Broadcasting.Shape(x.Shape, y.Shape);
        var rows = new ConcatenatedRows(x, y, new string[Tensor.ElementCountOf(shape)]);
        BroadcastWalk.Run(shape, [x.ShapeArray(), y.ShapeArray()], ref rows);
        context.SetOutput(0, Tensor.CreateStrings(rows.Result, shape));
    }

    private readonly struct ConcatenatedRows(Tensor x, Tensor y, string[] result) : IRowVisitor
    {
        public string[] Result => result;

        public void Row(int outputOffset, int length, ReadOnlySpan<int> inputOffsets, ReadOnlySpan<int> innerStrides)
        {
            var left = x.Strings;
            var right = y.Strings;
            for (int j = 0; j < length; j++)
            {
                result[outputOffset + j] = string.Concat(left[inputOffsets[0] + j * innerStrides[0]], right[inputOffsets[1] + j * innerStrides[1]]);
            }
        }
    }
}

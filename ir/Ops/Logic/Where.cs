using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>Where: X where the condition holds, else Y; all three broadcast together. Any element type.</summary>
public sealed class Where : OpDefinition
{
    public override string Name => "Where";

    public override int SinceVersion => 9;

    public override OpSignature Signature { get; } = OpSignature.Create().Input("condition").Input("X").Input("Y").Output("output").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        if (context.InputTensorType(0) is TensorType c && c.ElementType.Storage != DataType.Bool)
        {
            throw new InvalidNodeException($"Where's condition must be bool, got {c.ElementType}");
        }
        if (context.InputTensorType(0) is not TensorType condition || context.InputTensorType(1) is not TensorType x
            || context.InputTensorType(2) is not TensorType y)
        {
            return [null];
        }
        if (!x.ElementType.Equals(y.ElementType))
        {
            throw new InvalidNodeException($"Where's X and Y must have one element type, got {x.ElementType} and {y.ElementType}");
        }
        return [new TensorType(x.ElementType, Broadcasting.Shape(Broadcasting.Shape(condition.Shape, x.Shape), y.Shape))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var condition = context.Input(0);
        var x = context.Input(1);
        var y = context.Input(2);
        if (condition.DataType != DataType.Bool)
        {
            throw new InvalidNodeException($"Where's condition must be bool, got {condition.ElementType}");
        }
        if (!x.ElementType.Equals(y.ElementType))
        {
            throw new InvalidNodeException($"Where's X and Y must have one element type, got {x.ElementType} and {y.ElementType}");
        }
        context.SetOutput(0, x.DataType.ClrType() switch
        {
            var t when t == typeof(float) => Select<float>(condition, x, y),
            var t when t == typeof(double) => Select<double>(condition, x, y),
            var t when t == typeof(Half) => Select<Half>(condition, x, y),
            var t when t == typeof(BFloat16) => Select<BFloat16>(condition, x, y),
            var t when t == typeof(sbyte) => Select<sbyte>(condition, x, y),
            var t when t == typeof(short) => Select<short>(condition, x, y),
            var t when t == typeof(int) => Select<int>(condition, x, y),
            var t when t == typeof(long) => Select<long>(condition, x, y),
            var t when t == typeof(byte) => Select<byte>(condition, x, y),
            var t when t == typeof(ushort) => Select<ushort>(condition, x, y),
            var t when t == typeof(uint) => Select<uint>(condition, x, y),
            var t when t == typeof(ulong) => Select<ulong>(condition, x, y),
            var t when t == typeof(bool) => Select<bool>(condition, x, y),
            _ => SelectStrings(condition, x, y),
        });
    }

    private static Tensor Select<T>(Tensor condition, Tensor x, Tensor y) where T : unmanaged
    {
        var shape = OutputShape(condition, x, y);
        var rows = new Rows<T>(condition, x, y, new T[Tensor.ElementCountOf(shape)]);
        BroadcastWalk.Run(shape, [condition.ShapeArray(), x.ShapeArray(), y.ShapeArray()], ref rows);
        return Tensor.Create(x.ElementType, rows.Result, shape);
    }

    private static Tensor SelectStrings(Tensor condition, Tensor x, Tensor y)
    {
        var shape = OutputShape(condition, x, y);
        var rows = new StringRows(condition, x, y, new string[Tensor.ElementCountOf(shape)]);
        BroadcastWalk.Run(shape, [condition.ShapeArray(), x.ShapeArray(), y.ShapeArray()], ref rows);
        return Tensor.CreateStrings(rows.Result, shape);
    }

    private static int[] OutputShape(Tensor condition, Tensor x, Tensor y) =>
        Broadcasting.Shape(Broadcasting.Shape(condition.Shape, x.Shape), y.Shape);

    private readonly struct Rows<T>(Tensor condition, Tensor x, Tensor y, T[] result) : IRowVisitor where T : unmanaged
    {
        public T[] Result => result;

        public void Row(int outputOffset, int length, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> strides)
        {
            var c = condition.Span<bool>().Slice(offsets[0]);
            var a = x.Span<T>().Slice(offsets[1]);
            var b = y.Span<T>().Slice(offsets[2]);
            var output = result.AsSpan(outputOffset, length);
            if (strides[0] == 1 && strides[1] == 1 && strides[2] == 1)
            {
                for (int j = 0; j < output.Length; j++)
                {
                    output[j] = c[j] ? a[j] : b[j];
                }
                return;
            }
            for (int j = 0; j < output.Length; j++)
            {
                output[j] = c[j * strides[0]] ? a[j * strides[1]] : b[j * strides[2]];
            }
        }
    }

    private readonly struct StringRows(Tensor condition, Tensor x, Tensor y, string[] result) : IRowVisitor
    {
        public string[] Result => result;

        public void Row(int outputOffset, int length, scoped ReadOnlySpan<int> offsets, scoped ReadOnlySpan<int> strides)
        {
            var c = condition.Span<bool>();
            var a = x.Strings;
            var b = y.Strings;
            for (int j = 0; j < length; j++)
            {
                result[outputOffset + j] = c[offsets[0] + j * strides[0]] ? a[offsets[1] + j * strides[1]] : b[offsets[2] + j * strides[2]];
            }
        }
    }
}

using System.Numerics;
using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Nn;

namespace Neurite.Ir.Ops;

/// <summary>
/// MaxPool with strides, dilations, explicit or automatic pads and ceil_mode; the optional
/// Indices output holds flat indices into X (row-major, or column-major over the spatial axes
/// with storage_order = 1). float16/bfloat16 pool in float32 (exact), int8 and uint8 natively, and
/// beyond ONNX's types int16 and int32, the storage of raw fixed-point values (the maximum of the
/// raw integers is the raw integer of the maximum).
/// </summary>
public sealed class MaxPool : OpDefinition
{
    public override string Name => "MaxPool";

    public override OpSignature Signature { get; } = PoolShapes.Attributes(OpSignature.Create()
        .Input("X").Output("Y").OptionalOutput("Indices"))
        .Attr("storage_order", 0L)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var y = PoolShapes.Infer(context);
        return [y, y is null ? null : new TensorType(ElementType.Int64, y.Shape)];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        var g = PoolShapes.Plan(context, x);
        var shape = PoolShapes.OutputShape(x, g);
        bool columnMajor = context.Int("storage_order", 0) != 0;
        var indices = context.IsOutputUsed(1) ? new long[Tensor.ElementCountOf(shape)] : null;
        var y = x.DataType switch
        {
            DataType.Float32 => Run<float>(x, shape, g, indices, columnMajor),
            DataType.Float64 => Run<double>(x, shape, g, indices, columnMajor),
            DataType.Int8 => Run<sbyte>(x, shape, g, indices, columnMajor),
            DataType.UInt8 => Run<byte>(x, shape, g, indices, columnMajor),
            DataType.Int16 => Run<short>(x, shape, g, indices, columnMajor),
            DataType.Int32 => Run<int>(x, shape, g, indices, columnMajor),
            DataType.Float16 or DataType.BFloat16 =>
                TensorConvert.Convert(Run<float>(TensorConvert.ToFloat32(x), shape, g, indices, columnMajor), x.ElementType),
            _ => throw new InvalidNodeException($"MaxPool takes float, int8, uint8, int16 or int32 tensors, got {x.ElementType}"),
        };
        context.SetOutput(0, y);
        if (indices is not null)
        {
            context.SetOutput(1, Tensor.Create(ElementType.Int64, indices, shape));
        }
    }

    private static Tensor Run<T>(Tensor x, int[] shape, PoolPlan g, long[]? indices, bool columnMajor) where T : unmanaged, INumber<T>
    {
        var y = GC.AllocateUninitializedArray<T>(Tensor.ElementCountOf(shape));
        Pooling.Max<T>(x.Span<T>(), y, indices, PoolShapes.Planes(x), g, columnMajor);
        return Tensor.Create(x.ElementType, y, shape);
    }
}

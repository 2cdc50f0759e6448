using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Reduction;

namespace Neurite.Ir.Ops;

/// <summary>
/// What ReduceMax and ReduceMin share: besides numbers they take bool tensors from opset 20,
/// where they are "any" and "all". Bools run as 0/1 bytes, whose maximum and minimum are
/// exactly those, and are turned back into bools.
/// </summary>
public abstract class ExtremumReductionOp : ReductionOp
{
    /// <summary><see cref="Accumulation.Max"/> or <see cref="Accumulation.Min"/>.</summary>
    protected abstract Accumulation Extreme { get; }

    protected override int AxesInputSince => 18;

    protected override void CheckElementType(OpContext context, ElementType element)
    {
        if (element.Storage == DataType.Bool && context.Opset >= 20)
        {
            return;
        }
        base.CheckElementType(context, element);
    }

    protected override Tensor Compute(Tensor data, bool[] reduced, int[] outputShape)
    {
        if (data.DataType != DataType.Bool)
        {
            return Recipe(data, ElementMap.None, Extreme, ResultMap.None, reduced, outputShape);
        }
        var bytes = TensorConvert.Convert(data, DataType.UInt8);
        return TensorConvert.Convert(Recipe(bytes, ElementMap.None, Extreme, ResultMap.None, reduced, outputShape), DataType.Bool);
    }
}

using Neurite.Ir.Kernels.Reduction;

namespace Neurite.Ir.Ops;

/// <summary>ReduceMin: the smallest element over the reduced axes (+inf for an empty float set); bool tensors from opset 20.</summary>
public sealed class ReduceMin : ExtremumReductionOp
{
    public override string Name => "ReduceMin";

    protected override Accumulation Extreme => Accumulation.Min;
}

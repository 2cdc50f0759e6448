using Neurite.Ir.Kernels.Reduction;

namespace Neurite.Ir.Ops;

/// <summary>ReduceMax: the largest element over the reduced axes (-inf for an empty float set); bool tensors from opset 20.</summary>
public sealed class ReduceMax : ExtremumReductionOp
{
    public override string Name => "ReduceMax";

    protected override Accumulation Extreme => Accumulation.Max;
}

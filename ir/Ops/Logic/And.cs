using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>And: logical and of two bool tensors, with broadcasting.</summary>
public sealed class And : OpDefinition
{
    public override string Name => "And";

    public override OpSignature Signature { get; } = LegacyBroadcast.Signature;

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => LogicalBinary.Infer(context);

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, LogicalBinary.Run<Bitwise.And<byte>>(context.Input(0), LegacyBroadcast.AlignRight(context), Name));
}

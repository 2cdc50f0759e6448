using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>Xor: logical exclusive or of two bool tensors, with broadcasting.</summary>
public sealed class Xor : OpDefinition
{
    public override string Name => "Xor";

    public override OpSignature Signature { get; } = LegacyBroadcast.Signature;

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => LogicalBinary.Infer(context);

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, LogicalBinary.Run<Bitwise.Xor<byte>>(context.Input(0), LegacyBroadcast.AlignRight(context), Name));
}

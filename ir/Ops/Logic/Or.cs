using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>Or: logical or of two bool tensors, with broadcasting.</summary>
public sealed class Or : OpDefinition
{
    public override string Name => "Or";

    public override OpSignature Signature { get; } = LegacyBroadcast.Signature;

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => LogicalBinary.Infer(context);

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, LogicalBinary.Run<Bitwise.Or<byte>>(context.Input(0), LegacyBroadcast.AlignRight(context), Name));
}

using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>Mul: elementwise product with broadcasting (opset 7 on; opset 1-6 "broadcast"/"axis" legacy form included).</summary>
public sealed class Mul : OpDefinition
{
    public override string Name => "Mul";

    public override OpSignature Signature { get; } = LegacyBroadcast.Signature;

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => LegacyBroadcast.Infer(context);

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, NumericDispatch.Binary<Impl>(context.Input(0), LegacyBroadcast.AlignRight(context)));

    private readonly struct Impl : INumericBinary
    {
        public static Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, INumber<T> =>
            Elementwise.Binary<T, T, Product<T>>(a, b);
    }
}

using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// Div: elementwise quotient with broadcasting (opset 1-6 legacy broadcast form included).
/// Integer division truncates toward zero as in C; division by zero gives 0 (where .NET would
/// throw), and the most negative integer divided by −1 wraps to itself.
/// </summary>
public sealed class Div : OpDefinition
{
    public override string Name => "Div";

    public override OpSignature Signature { get; } = LegacyBroadcast.Signature;

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => LegacyBroadcast.Infer(context);

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, NumericDispatch.Binary<Impl>(context.Input(0), LegacyBroadcast.AlignRight(context)));

    private readonly struct Impl : INumericBinary
    {
        public static Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, INumber<T> =>
            Elementwise.Binary<T, T, Quotient<T>>(a, b);
    }
}

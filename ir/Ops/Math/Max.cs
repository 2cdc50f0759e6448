using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>Max: the elementwise maximum of one or more inputs, with broadcasting; NaN wins, as in numpy.maximum.</summary>
public sealed class Max : OpDefinition
{
    public override string Name => "Max";

    public override OpSignature Signature => Variadic.Signature;

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => TypeRules.Broadcast(context);

    public override void Evaluate(EvaluationContext context) => context.SetOutput(0, Variadic.Fold<Impl>(context));

    private readonly struct Impl : INumericBinary
    {
        public static Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, INumber<T> => Elementwise.Binary<T, T, Maximum<T>>(a, b);
    }
}

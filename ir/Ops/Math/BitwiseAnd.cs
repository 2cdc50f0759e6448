using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>BitwiseAnd: bitwise and of two integer tensors, with broadcasting.</summary>
public sealed class BitwiseAnd : OpDefinition
{
    public override string Name => "BitwiseAnd";

    public override int SinceVersion => 18;

    public override OpSignature Signature { get; } = OpSignature.Create().Input("A").Input("B").Output("C").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => TypeRules.Broadcast(context);

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, IntegerBinary.Run<Impl>(context.Input(0), context.Input(1), Name));

    private readonly struct Impl : IIntegerBinary
    {
        public static Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, IBinaryInteger<T> => Elementwise.Binary<T, T, Bitwise.And<T>>(a, b);
    }
}

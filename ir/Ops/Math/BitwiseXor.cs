using System.Numerics;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>BitwiseXor: bitwise exclusive or of two integer tensors, with broadcasting.</summary>
public sealed class BitwiseXor : OpDefinition
{
    public override string Name => "BitwiseXor";

    public override int SinceVersion => 18;

    public override OpSignature Signature { get; } = OpSignature.Create().Input("A").Input("B").Output("C").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => TypeRules.Broadcast(context);

    public override void Evaluate(EvaluationContext context) =>
        context.SetOutput(0, IntegerBinary.Run<Impl>(context.Input(0), context.Input(1), Name));

    private readonly struct Impl : IIntegerBinary
    {
        public static Tensor Run<T>(Tensor a, Tensor b) where T : unmanaged, IBinaryInteger<T> => Elementwise.Binary<T, T, Bitwise.Xor<T>>(a, b);
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>BitwiseNot: the ones' complement of every element of an integer tensor.</summary>
public sealed class BitwiseNot : OpDefinition
{
    public override string Name => "BitwiseNot";

    public override int SinceVersion => 18;

    public override OpSignature Signature { get; } = OpSignature.Create().Input("X").Output("Y").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => TypeRules.SameAsInput(context);

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        context.SetOutput(0, NumericTypeSwitch.VisitInteger<Visitor, Tensor>(x.DataType, new Visitor(x), Name));
    }

    private readonly struct Visitor(Tensor x) : IIntegerVisitor<Tensor>
    {
        public Tensor Visit<T>() where T : unmanaged, IBinaryInteger<T>
        {
            var result = GC.AllocateUninitializedArray<T>(x.Length);
            TensorPrimitives.OnesComplement(x.Span<T>(), result);
            return Tensor.Create(x.ElementType, result, x.Shape);
        }
    }
}

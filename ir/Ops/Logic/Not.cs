using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Neurite.Ir.Ops;

/// <summary>Not: logical negation of a bool tensor.</summary>
public sealed class Not : OpDefinition
{
    public override string Name => "Not";

    public override OpSignature Signature { get; } = OpSignature.Create().Input("X").Output("Y").Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        if (context.InputTensorType(0) is TensorType t && t.ElementType.Storage != DataType.Bool)
        {
            throw new InvalidNodeException($"Not takes a bool tensor, got {t.ElementType}");
        }
        return TypeRules.SameAsInput(context);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        if (x.DataType != DataType.Bool)
        {
            throw new InvalidNodeException($"Not takes a bool tensor, got {x.ElementType}");
        }
        var result = GC.AllocateUninitializedArray<bool>(x.Length);
        // Bools are 0 or 1 in memory: flipping the low bit negates them.
        TensorPrimitives.Xor(MemoryMarshal.Cast<bool, byte>(x.Span<bool>()), (byte)1, MemoryMarshal.Cast<bool, byte>(result.AsSpan()));
        context.SetOutput(0, Tensor.Create(x.ElementType, result, x.Shape));
    }
}

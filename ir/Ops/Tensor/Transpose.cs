using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>Transpose: permutes the axes (output axis i is input axis perm[i]); without perm it reverses them.</summary>
public sealed class Transpose : OpDefinition
{
    public override string Name => "Transpose";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("data").Output("transposed")
        .Attr("perm", AttributeKind.Ints)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var input = context.InputTensorType(0);
        if (input is not { Shape.IsRankKnown: true })
        {
            var perm = context.Ints("perm");
            return TensorOpTypes.Single(input?.ElementType, perm is null ? Shape.UnknownRank : Shape.OfRank(perm.Length));
        }
        var dims = input.Shape.Dims;
        return TensorOpTypes.Single(input.ElementType, new Shape(Permutation(context, dims.Length).Select(p => dims[p])));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        var perm = Permutation(context, input.Rank);
        var strides = Broadcasting.ContiguousStrides(input.Shape);
        var shape = new int[perm.Length];
        var steps = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            shape[i] = input.Shape[perm[i]];
            steps[i] = strides[perm[i]];
        }
        context.SetOutput(0, StridedCopy.Run(input, 0, shape, steps));
    }

    private static int[] Permutation(OpContext context, int rank)
    {
        if (context.Ints("perm") is not { } perm)
        {
            return Enumerable.Range(0, rank).Reverse().ToArray();
        }
        if (perm.Length != rank)
        {
            throw new InvalidNodeException($"perm has {perm.Length} entries, the input has rank {rank}");
        }
        var result = new int[rank];
        var seen = new bool[rank];
        for (int i = 0; i < rank; i++)
        {
            int axis = OpContext.NormalizeAxis(perm[i], rank, "perm entry");
            if (seen[axis])
            {
                throw new InvalidNodeException($"perm [{string.Join(",", perm)}] names axis {axis} twice");
            }
            seen[axis] = true;
            result[i] = axis;
        }
        return result;
    }
}

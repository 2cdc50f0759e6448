namespace Neurite.Ir.Ops;

/// <summary>The output type of the *Like random ops and Bernoulli: the input's shape, dtype's type or else the input's.</summary>
internal static class RandomLikeRules
{
    public static TensorType? OutputType(InferenceContext context)
    {
        var input = context.InputTensorType(0);
        var element = RandomSource.DTypeOr(context, input?.ElementType);
        if (element is null)
        {
            return null;
        }
        return new TensorType(element, input?.Shape ?? Shape.UnknownRank);
    }
}

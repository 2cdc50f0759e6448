using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Reduction;

namespace Neurite.Ir.Ops;

/// <summary>The inputs, attributes and output types NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss share.</summary>
internal static class LossRules
{
    /// <summary>The loss: a scalar for "mean" and "sum", the target's shape for "none"; of the input's element type.</summary>
    public static TensorType? LossType(InferenceContext context)
    {
        TypeRules.RequireFloat(context, 0);
        if (context.InputTensorType(1) is TensorType target && !target.ElementType.Storage.IsInteger())
        {
            throw new InvalidNodeException($"the target must hold int32 or int64 class indices, got {target.ElementType}");
        }
        if (context.InputTensorType(0) is not TensorType input)
        {
            return null;
        }
        string reduction = Reduction(context);
        if (reduction != "none")
        {
            return new TensorType(input.ElementType, Shape.Scalar);
        }
        return context.InputTensorType(1) is TensorType labels
            ? new TensorType(input.ElementType, labels.Shape)
            : TypeRules.UnknownShape(input.ElementType);
    }

    public static string Reduction(OpContext context)
    {
        string reduction = context.String("reduction");
        return reduction is "none" or "sum" or "mean"
            ? reduction
            : throw new InvalidNodeException($"reduction must be \"none\", \"sum\" or \"mean\", not \"{reduction}\"");
    }

    /// <summary>Runs the loss on float64 log-probabilities and returns it in <paramref name="elementType"/>.</summary>
    public static Tensor Loss(EvaluationContext context, ReadOnlySpan<double> logProbabilities, ReadOnlySpan<int> inputShape, ElementType elementType)
    {
        var target = context.Input(1);
        var weights = context.OptionalInput(2) is Tensor w ? TensorConvert.Convert(w, DataType.Float64).ToArray<double>() : [];
        long? ignoreIndex = context.IntOrNull("ignore_index");
        string reduction = Reduction(context);
        var loss = NegativeLogLikelihood.Compute(logProbabilities, inputShape, target.ToInt64Array(), target.Shape, weights, ignoreIndex, reduction);
        var shape = reduction == "none" ? target.Shape : [];
        return TensorConvert.Convert(Tensor.Create(ElementType.Float64, loss, shape), elementType);
    }
}

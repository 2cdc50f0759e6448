using System.Numerics.Tensors;

namespace Neurite.Ir.Kernels.Reduction;

/// <summary>
/// The loss behind NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, in float64. The input
/// is (N, C, d1..dk) log-probabilities, the target (N, d1..dk) class indices. Each position loses
/// -weight[t] * input[n, t, d]; a position whose target is ignore_index loses nothing and weighs
/// nothing. "mean" divides the summed loss by the summed weights of the positions that count
/// (their number when there are no weights), "sum" adds, "none" keeps the target's shape.
/// </summary>
public static class NegativeLogLikelihood
{
    public static double[] Compute(ReadOnlySpan<double> input, ReadOnlySpan<int> inputShape, ReadOnlySpan<long> target, ReadOnlySpan<int> targetShape,
        ReadOnlySpan<double> weights, long? ignoreIndex, string reduction)
    {
        if (inputShape.Length < 2)
        {
            throw new InvalidNodeException($"the input must have shape (N, C, d1, ..., dk), got rank {inputShape.Length}");
        }
        int n = inputShape[0], classes = inputShape[1];
        int[] expected = [n, .. inputShape[2..]];
        if (!targetShape.SequenceEqual(expected))
        {
            throw new InvalidNodeException(
                $"the target has shape [{string.Join(", ", targetShape.ToArray())}], but an input of shape [{string.Join(", ", inputShape.ToArray())}] needs [{string.Join(", ", expected)}]");
        }
        int positions = Tensor.ElementCountOf(inputShape[2..]);
        if (weights.Length > 0 && weights.Length != classes)
        {
            throw new InvalidNodeException($"the weights have {weights.Length} elements, one per class ({classes}) is needed");
        }
        var losses = new double[target.Length];
        double totalWeight = 0;
        for (int b = 0; b < n; b++)
        {
            for (int d = 0; d < positions; d++)
            {
                int index = b * positions + d;
                long label = target[index];
                if (label == ignoreIndex)
                {
                    continue;
                }
                if (label < 0 || label >= classes)
                {
                    throw new InvalidNodeException($"target {label} is not a class index in [0, {classes})");
                }
                double weight = weights.Length > 0 ? weights[(int)label] : 1.0;
                losses[index] = -weight * input[(b * classes + (int)label) * positions + d];
                totalWeight += weight;
            }
        }
        return reduction switch
        {
            "none" => losses,
            "sum" => [Sum(losses)],
            "mean" => [Sum(losses) / totalWeight],
            _ => throw new InvalidNodeException($"reduction must be \"none\", \"sum\" or \"mean\", not \"{reduction}\""),
        };
    }

    private static double Sum(double[] values) => TensorPrimitives.Sum<double>(values);
}

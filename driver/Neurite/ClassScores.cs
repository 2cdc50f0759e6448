using Neurite.Ir;

namespace Neurite;

/// <summary>Class scores laid out one row per sample along the last axis: what a classifier's output is read as.</summary>
public static class ClassScores
{
    /// <summary>The predicted class of sample <paramref name="row"/>: the first index of its largest score.</summary>
    public static int ArgMax(Tensor scores, int row, int classes)
    {
        int offset = row * classes, best = 0;
        for (int c = 1; c < classes; c++)
        {
            best = scores.GetDouble(offset + c) > scores.GetDouble(offset + best) ? c : best;
        }
        return best;
    }
}

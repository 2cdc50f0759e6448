using System.Globalization;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>Predicted class (argmax of the last axis) against expected labels, per sample, with the accuracy.</summary>
internal static class ClassificationReport
{
    private const int ShownSamples = 20;

    public static void Print(Tensor scores, IReadOnlyList<long> labels)
    {
        if (scores.Rank == 0 || scores.DataType == DataType.String)
        {
            throw new NeuriteException("labels.output", $"an output of type {scores.Type} has no classes to compare with labels");
        }
        int classes = scores.Dim(-1);
        int samples = scores.Length / Math.Max(classes, 1);
        if (samples != labels.Count)
        {
            throw new NeuriteException("labels.count", $"the output holds {samples} samples of {classes} classes but {labels.Count} labels were given");
        }
        var table = new TextTable("sample", "predicted", "expected", "");
        int correct = 0;
        for (int n = 0; n < samples; n++)
        {
            int predicted = ClassScores.ArgMax(scores, n, classes);
            bool hit = predicted == labels[n];
            correct += hit ? 1 : 0;
            if (n < ShownSamples)
            {
                table.Add(n, predicted, labels[n], hit ? "ok" : "WRONG");
            }
        }
        Console.WriteLine();
        Console.Write(table);
        if (samples > ShownSamples)
        {
            Console.WriteLine($"  ... {samples - ShownSamples} more samples");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {correct} of {samples} ({100.0 * correct / samples:F2} %)"));
    }
}

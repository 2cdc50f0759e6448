using System.Collections.Concurrent;
using Neurite.Ir;

namespace Neurite.Testing;

/// <summary>Top-1 accuracy of a classifier over a slice of a data set, batched, on every core.</summary>
public static class ClassificationAccuracy
{
    public static double Score(Model model, CatalogModel entry, DataSet data, int start, int count)
    {
        var interpreter = new Interpreter(model);
        var input = model.Graph.Inputs.Single();
        var shape = ((TensorType)input.Type!).Shape;
        int batch = shape[0].IsKnown ? (int)shape[0].Value : 50;
        var dims = shape.Dims.Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        string outputName = model.Graph.Outputs[0].Name;
        var chunks = Enumerable.Range(0, (count + batch - 1) / batch).Select(i => start + i * batch).ToList();
        var correct = new ConcurrentBag<int>();
        Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, first =>
        {
            int size = Math.Min(batch, start + count - first);
            var images = Preprocessing.Batch(entry, data, first, size, dims);
            var scores = (Tensor)interpreter.Run((input.Name, (IValue)images))[outputName];
            correct.Add(Hits(scores, size, data.Labels.AsSpan(first, size)));
        });
        return (double)correct.Sum() / count;
    }

    private static int Hits(Tensor scores, int size, ReadOnlySpan<byte> labels)
    {
        int classes = scores.Length / size;
        var values = scores.Span<float>();
        int hits = 0;
        for (int n = 0; n < size; n++)
        {
            var row = values.Slice(n * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                best = row[c] > row[best] ? c : best;
            }
            hits += best == labels[n] ? 1 : 0;
        }
        return hits;
    }
}

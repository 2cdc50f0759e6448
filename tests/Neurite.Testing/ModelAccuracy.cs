using System.Collections.Concurrent;
using Neurite.Ir;

namespace Neurite.Testing;

/// <summary>Top-1 accuracy of a data-set model of MODELS.json, as the accuracy and pass tests measure it.</summary>
public static class ModelAccuracy
{
    /// <summary>Accuracy over images [start, start+count): batched when the model's batch is symbolic, on every core.</summary>
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
            int classes = scores.Length / size;
            int hits = 0;
            for (int n = 0; n < size; n++)
            {
                var row = scores.Span<float>().Slice(n * classes, classes);
                int best = 0;
                for (int c = 1; c < classes; c++)
                {
                    if (row[c] > row[best])
                    {
                        best = c;
                    }
                }
                hits += best == data.Labels[first + n] ? 1 : 0;
            }
            correct.Add(hits);
        });
        return (double)correct.Sum() / count;
    }
}

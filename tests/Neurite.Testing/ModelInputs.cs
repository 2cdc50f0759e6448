using Neurite.Ir;

namespace Neurite.Testing;

/// <summary>
/// Inputs to run a model on: real images for the data-set models (test images 5000 on, the
/// ones no zoo model trained on), reproducible random values for the rest.
/// </summary>
public static class ModelInputs
{
    public static IReadOnlyDictionary<string, Tensor> For(Model model, string relativePath, int batch = 4)
    {
        var catalog = ModelCatalog.DataSetModels.FirstOrDefault(m => m.Path == relativePath.Replace('\\', '/'));
        var inputs = new Dictionary<string, Tensor>();
        foreach (var input in model.Graph.Inputs)
        {
            var type = (TensorType)input.Type!;
            bool dynamicBatch = type.Shape.Rank > 0 && !type.Shape[0].IsKnown;
            int count = dynamicBatch ? batch : (int)type.Shape[0].Value;
            var shape = type.Shape.Dims.Select((d, i) => i == 0 ? count : d.IsKnown ? (int)d.Value : 1).ToArray();
            inputs[input.Name] = catalog is not null
                ? Preprocessing.Batch(catalog, DataSet.ByName(catalog.DataSet), 5000, count, shape)
                : Random(type.ElementType, shape, seed: input.Name.Length + shape.Sum());
        }
        return inputs;
    }

    private static Tensor Random(ElementType type, int[] shape, int seed)
    {
        if (type.Storage != DataType.Float32)
        {
            throw new InvalidOperationException($"no random inputs of {type} for the real-model tests");
        }
        var random = new Random(seed);
        var values = new float[Tensor.ElementCountOf(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }
        return Tensor.Create(values, shape);
    }
}

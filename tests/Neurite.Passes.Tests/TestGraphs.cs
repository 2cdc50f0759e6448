using Neurite.Ir;

namespace Neurite.Passes.Tests;

/// <summary>Hand-built graphs for pass tests: reproducible random weights and a model wrapper.</summary>
internal static class TestGraphs
{
    public static Model Model(GraphBuilder builder, int opset = 17) =>
        new(builder.Build(), new Dictionary<string, int> { [""] = opset });

    public static Model Model(Graph graph, int opset = 17) => new(graph, new Dictionary<string, int> { [""] = opset });

    /// <summary>Uniform in [low, high), reproducible from the seed.</summary>
    public static Tensor Random(int seed, int[] shape, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[Tensor.ElementCountOf(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (float)random.NextDouble() * (high - low);
        }
        return Tensor.Create(values, shape);
    }

    public static Tensor Ints(params long[] values) => Tensor.Create(values, values.Length);

    public static TensorType Type(string syntax) => (TensorType)TypeSyntax.ParseType(syntax);

    public static int Count(Model model, string opType) => model.Graph.Nodes.Count(n => n.OpType == opType);
}

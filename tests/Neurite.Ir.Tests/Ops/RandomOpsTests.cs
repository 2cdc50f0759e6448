using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>
/// The random ops and training-mode Dropout, whose ONNX conformance outputs come from numpy's
/// generator and cannot match: here their shapes, types, ranges, statistics and seeding are
/// checked instead.
/// </summary>
public sealed class RandomOpsTests
{
    [Fact]
    public void SeededRandomNormalIsReproducibleAndStandard()
    {
        var attributes = new Dictionary<string, AttributeValue> { ["shape"] = new long[] { 100, 100 }, ["seed"] = 3f, ["dtype"] = 11L };
        var first = RunSource("RandomNormal", attributes);
        var second = RunSource("RandomNormal", attributes);

        Assert.Equal(DataType.Float64, first.DataType);
        Assert.Equal(new[] { 100, 100 }, first.Shape.ToArray());
        Assert.Equal(first.ToArray<double>(), second.ToArray<double>());
        var values = first.ToArray<double>();
        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.9, 1.1);
    }

    [Fact]
    public void RandomUniformLikeTakesTheInputsShapeAndTypeAndStaysInRange()
    {
        var input = Tensor.Create(new float[6 * 500], 6, 500);
        var output = RunUnary("RandomUniformLike", input, new() { ["low"] = -2f, ["high"] = 3f });

        Assert.Equal(DataType.Float32, output.DataType);
        Assert.Equal(input.Shape.ToArray(), output.Shape.ToArray());
        var values = output.ToArray<float>();
        Assert.All(values, v => Assert.InRange(v, -2f, 3f));
        Assert.InRange(values.Average(), 0.3, 0.7);
    }

    [Fact]
    public void BernoulliFollowsTheProbabilities()
    {
        var probabilities = Enumerable.Repeat(0f, 1000).Concat(Enumerable.Repeat(1f, 1000)).Concat(Enumerable.Repeat(0.25f, 4000)).ToArray();
        var output = RunUnary("Bernoulli", Tensor.Create(probabilities, probabilities.Length), new() { ["seed"] = 7f });

        var values = output.ToArray<float>();
        Assert.All(values[..1000], v => Assert.Equal(0f, v));
        Assert.All(values[1000..2000], v => Assert.Equal(1f, v));
        Assert.InRange(values[2000..].Average(), 0.2, 0.3);
    }

    [Fact]
    public void MultinomialDrawsTheDominantClassWithItsShapeAndType()
    {
        var logits = Tensor.Create(new float[] { 0f, 50f, 0f, 40f, 0f, 0f }, 2, 3);
        var output = RunUnary("Multinomial", logits, new() { ["sample_size"] = 5L, ["dtype"] = 7L, ["seed"] = 1f });

        Assert.Equal(DataType.Int64, output.DataType);
        Assert.Equal(new[] { 2, 5 }, output.Shape.ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 }, output.ToArray<long>());
    }

    [Fact]
    public void NegativeSampleSizeIsReported()
    {
        var logits = Tensor.Create(new float[] { 0f, 1f }, 1, 2);
        var error = Assert.Throws<NeuriteException>(() => RunUnary("Multinomial", logits, new() { ["sample_size"] = -3L }));
        Assert.Contains("sample_size must be a count of draws (0 or more), got -3", error.Message);
    }

    [Fact]
    public void TrainingDropoutScalesWhatItKeepsAndReportsTheMask()
    {
        var b = new GraphBuilder("dropout");
        var x = b.Input("x", TypeSyntax.ParseType("f32[4000]"));
        var ratio = b.Initializer("ratio", Tensor.Scalar(0.5f).Reshape([]));
        var training = b.Initializer("training", Tensor.Scalar(true).Reshape([]));
        var outputs = b.NodeWithOutputs("Dropout", [x, ratio, training], 2, new() { ["seed"] = 5f }, outputNames: ["y", "mask"]);
        b.Output(outputs[0]);
        b.Output(outputs[1]);
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 22 });
        var input = Tensor.Create(Enumerable.Repeat(3f, 4000).ToArray(), 4000);

        var result = new Interpreter(model).Run(("x", (IValue)input));
        var y = ((Tensor)result["y"]).ToArray<float>();
        var mask = ((Tensor)result["mask"]).ToArray<bool>();

        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(mask[i] ? 6f : 0f, y[i]);
        }
        Assert.InRange(mask.Count(m => m), 1800, 2200);
    }

    private static Tensor RunSource(string op, Dictionary<string, AttributeValue> attributes)
    {
        var b = new GraphBuilder(op);
        b.Output(b.Node(op, [], attributes, outputName: "y"));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 22 });
        return (Tensor)new Interpreter(model).Run()["y"];
    }

    private static Tensor RunUnary(string op, Tensor input, Dictionary<string, AttributeValue> attributes)
    {
        var b = new GraphBuilder(op);
        var x = b.Input("x", input.Type);
        b.Output(b.Node(op, [x], attributes, outputName: "y"));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 22 });
        return new Interpreter(model).Run(input);
    }
}

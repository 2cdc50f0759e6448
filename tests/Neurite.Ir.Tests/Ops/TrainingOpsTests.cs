using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>The ai.onnx.preview.training optimizers on inputs the conformance data does not try: mismatched gradient and state shapes.</summary>
public sealed class TrainingOpsTests
{
    private const string Training = "ai.onnx.preview.training";

    [Fact]
    public void AdagradUpdatesElementwise()
    {
        // r = 0.1, g = G, H_new = H + g², X_new = X - r g / sqrt(H_new).
        var outputs = Run("Adagrad", [1f, 2f], [3f, 4f], [0f, 0f], new() { ["epsilon"] = 0f });
        Assert.Equal(new[] { 1f - 0.1f, 2f - 0.1f }, outputs[0].ToArray<float>(), new FloatTolerance(1e-6f));
        Assert.Equal(new[] { 9f, 16f }, outputs[1].ToArray<float>());
    }

    [Fact]
    public void GradientOfAnotherShapeIsReported()
    {
        var error = Assert.Throws<NeuriteException>(() => Run("Adagrad", [1f, 2f, 3f], [1f, 2f], [0f, 0f, 0f], []));
        Assert.IsType<InvalidNodeException>(error.InnerException);
        Assert.Contains("input 3 has shape [2] but the tensor it updates (input 2) has [3]", error.Message);
    }

    private static Tensor[] Run(string op, float[] x, float[] gradient, float[] state, Dictionary<string, AttributeValue> attributes)
    {
        var b = new GraphBuilder(op);
        var rate = b.Initializer("R", Tensor.Scalar(0.1f).Reshape([]));
        var step = b.Initializer("T", Tensor.Create(new long[] { 1 }).Reshape([]));
        var values = b.Initializer("X", Tensor.Create(x, x.Length));
        var gradients = b.Initializer("G", Tensor.Create(gradient, gradient.Length));
        var states = b.Initializer("H", Tensor.Create(state, state.Length));
        var outputs = b.NodeWithOutputs(op, [rate, step, values, gradients, states], 2, attributes, domain: Training, outputNames: ["X_new", "H_new"]);
        b.Output(outputs[0]);
        b.Output(outputs[1]);
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 17, [Training] = 1 });
        var result = new Interpreter(model).Run();
        return [(Tensor)result["X_new"], (Tensor)result["H_new"]];
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}

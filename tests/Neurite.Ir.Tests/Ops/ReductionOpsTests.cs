using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>Reduction cases the ONNX conformance data leaves out: narrow integers, all -inf groups, strided axes, signed zeros and NaN, malformed targets.</summary>
public sealed class ReductionOpsTests
{
    [Fact]
    public void IntegerMeanDoesNotWrapBeforeDividing()
    {
        var data = Tensor.Create(new sbyte[] { 100, 100, -100, -99 }, 2, 2);
        var mean = Run("ReduceMean", data, new() { ["axes"] = new long[] { 1 }, ["keepdims"] = 0L }, opset: 13);
        Assert.Equal(new sbyte[] { 100, -99 }, mean.ToArray<sbyte>());
    }

    [Fact]
    public void LogSumExpOfMinusInfinityIsMinusInfinityAndLargeValuesDoNotOverflow()
    {
        var data = Tensor.Create(new[] { float.NegativeInfinity, float.NegativeInfinity, 1000f, 1000f }, 2, 2);
        var result = Run("ReduceLogSumExp", data, new() { ["axes"] = new long[] { 1 }, ["keepdims"] = 0L }, opset: 13).ToArray<float>();
        Assert.Equal(float.NegativeInfinity, result[0]);
        Assert.Equal(1000f + MathF.Log(2f), result[1], 3);
    }

    [Fact]
    public void NonAdjacentAxesReduceTogether()
    {
        var values = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        var sum = Run("ReduceSum", Tensor.Create(values, 2, 3, 4), new() { ["axes"] = new long[] { 0, 2 }, ["keepdims"] = 1L }, opset: 11);
        Assert.Equal(new[] { 1, 3, 1 }, sum.Shape.ToArray());
        // Row j sums i*12 + j*4 + k over i in 0..1 and k in 0..3.
        Assert.Equal(new[] { 60f, 92f, 124f }, sum.ToArray<float>());
    }

    [Fact]
    public void StridedSoftmaxRowsSumToOne()
    {
        var values = Enumerable.Range(0, 60).Select(i => MathF.Sin(i) * 10f).ToArray();
        var result = Run("Softmax", Tensor.Create(values, 3, 4, 5), new() { ["axis"] = 1L }, opset: 13).ToArray<float>();
        for (int o = 0; o < 3; o++)
        {
            for (int i = 0; i < 5; i++)
            {
                float total = Enumerable.Range(0, 4).Sum(k => result[(o * 4 + k) * 5 + i]);
                Assert.Equal(1f, total, 5);
            }
        }
    }

    [Theory]
    [InlineData("ArgMax", -0f, 0f)]
    [InlineData("ArgMin", 0f, -0f)]
    public void SignedZerosAreEqualAlongEveryAxis(string op, float first, float second)
    {
        // numpy's argmax/argmin: -0 == +0, so the first of them wins, contiguous or strided.
        var contiguous = Run(op, Tensor.Create(new[] { first, second }, 2), new() { ["axis"] = 0L }, opset: 13);
        var strided = Run(op, Tensor.Create(new[] { first, second }, 2, 1), new() { ["axis"] = 0L }, opset: 13);
        Assert.Equal(0L, contiguous.ToArray<long>()[0]);
        Assert.Equal(0L, strided.ToArray<long>()[0]);
    }

    [Fact]
    public void HardmaxTakesTheFirstNaNAlongAStridedAxisToo()
    {
        // Columns of a 3 x 2 matrix: [1, NaN, 2] and [NaN, 5, 1]; np.argmax picks the first NaN.
        var values = new[] { 1f, float.NaN, float.NaN, 5f, 2f, 1f };
        var strided = Run("Hardmax", Tensor.Create(values, 3, 2), new() { ["axis"] = 0L }, opset: 13).ToArray<float>();
        Assert.Equal(new[] { 0f, 1f, 1f, 0f, 0f, 0f }, strided);
        var rows = Run("Hardmax", Tensor.Create(new[] { 1f, float.NaN, 2f, float.NaN, 5f, 1f }, 2, 3), new() { ["axis"] = 1L }, opset: 13).ToArray<float>();
        Assert.Equal(new[] { 0f, 1f, 0f, 1f, 0f, 0f }, rows);
    }

    [Fact]
    public void LossTargetOfTheWrongShapeIsReported()
    {
        // Two targets for two samples, but laid out [1, 2]: as many elements as (N) = [2], the wrong shape.
        var b = new GraphBuilder("nll");
        var x = b.Input("x", TypeSyntax.ParseType("f32[2, 3]"));
        var target = b.Initializer("target", Tensor.Create(new long[] { 0, 2 }, 1, 2));
        b.Output(b.Node("NegativeLogLikelihoodLoss", [x, target], new() { ["reduction"] = "none" }, outputName: "y"));
        var interpreter = new Interpreter(new Model(b.Build(), new Dictionary<string, int> { [""] = 13 }));
        var error = Assert.Throws<NeuriteException>(() => interpreter.Run(Tensor.Create(new float[6], 2, 3)));
        Assert.IsType<InvalidNodeException>(error.InnerException);
        Assert.Contains("the target has shape [1, 2], but an input of shape [2, 3] needs [2]", error.Message);
    }

    private static Tensor Run(string op, Tensor input, Dictionary<string, AttributeValue> attributes, int opset)
    {
        var b = new GraphBuilder(op);
        var x = b.Input("x", input.Type);
        b.Output(b.Node(op, [x], attributes, outputName: "y"));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = opset });
        return new Interpreter(model).Run(input);
    }
}

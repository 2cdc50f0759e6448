using Neurite.Ir;
using Xunit;
using static Neurite.Passes.Tests.TestGraphs;

namespace Neurite.Passes.Tests;

/// <summary>
/// A graph already in the form the passes produce gives every pass nothing to do: each returns
/// the very same model (a pass that rewrote it into an equal graph would fail here, and one that
/// kept rewriting would never reach a fixed point).
/// </summary>
public sealed class UntouchedGraphTests
{
    public static TheoryData<string> Passes() =>
        [.. PassRegistry.Default.PassNames.Where(p => p != InferShapes.PassName)];

    private static Model Canonical()
    {
        var b = new GraphBuilder("canonical");
        var x = b.Input("x", Type("f32[N,2,8,8]"));
        var conv = b.Node("Conv", [x, b.Initializer("w", Random(1, [4, 2, 3, 3])), b.Initializer("b", Random(2, [4]))], new()
        {
            ["auto_pad"] = "NOTSET", ["kernel_shape"] = new long[] { 3, 3 }, ["strides"] = new long[] { 1, 1 },
            ["pads"] = new long[] { 1, 1, 1, 1 }, ["dilations"] = new long[] { 1, 1 }, ["group"] = 1,
        });
        var pooled = b.Node("MaxPool", [b.Node("Tanh", [conv])], new()
        {
            ["auto_pad"] = "NOTSET", ["kernel_shape"] = new long[] { 2, 2 }, ["strides"] = new long[] { 2, 2 }, ["pads"] = new long[] { 0, 0, 0, 0 },
        });
        var flat = b.Node("Flatten", [pooled], new() { ["axis"] = 1 });
        var gemm = b.Node("Gemm", [flat, b.Initializer("g", Random(3, [64, 10])), b.Initializer("c", Random(4, [10]))],
            new() { ["alpha"] = 1f, ["beta"] = 1f, ["transA"] = 0, ["transB"] = 0 });
        b.Output(b.Node("Softmax", [gemm], new() { ["axis"] = 1 }));
        return Model(b);
    }

    [Theory]
    [MemberData(nameof(Passes))]
    public void EveryPassLeavesAGraphWithNothingToDoUnchanged(string pass)
    {
        var model = Canonical();
        var result = new PassManager(PassRegistry.Default, new PassManagerOptions { VerifyEachPass = true }).Run(model, [PassRegistry.Default.Create(pass)]);
        Assert.Same(model, result.Model);
        Assert.False(result.Report.Passes.Single().Changed);
    }
}

using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>Vision ops on inputs the conformance data leaves out.</summary>
public sealed class VisionOpsTests
{
    [Theory]
    [InlineData("avg")]
    [InlineData("max")]
    public void ReversedRoiAlignRegionPoolsNothing(string mode)
    {
        // x1 > x2 and y1 > y2: with half_pixel the region keeps its negative size, so no sample falls in any bin.
        var b = new GraphBuilder("roi");
        var x = b.Input("x", TypeSyntax.ParseType("f32[1, 1, 4, 4]"));
        var rois = b.Initializer("rois", Tensor.Create(new[] { 3f, 3f, 1f, 1f }, 1, 4));
        var indices = b.Initializer("indices", Tensor.Create(new long[] { 0 }, 1));
        b.Output(b.Node("RoiAlign", [x, rois, indices], new() { ["mode"] = mode, ["output_height"] = 2L, ["output_width"] = 2L }, outputName: "y"));
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = 16 });

        var y = new Interpreter(model).Run(Tensor.Create(Enumerable.Range(1, 16).Select(i => (float)i).ToArray(), 1, 1, 4, 4));

        Assert.Equal(new[] { 1, 1, 2, 2 }, y.Shape.ToArray());
        Assert.All(y.ToArray<float>(), v => Assert.Equal(0f, v));
    }
}

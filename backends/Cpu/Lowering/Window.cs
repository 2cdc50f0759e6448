using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// The geometry of a sliding window over one or two spatial axes (Conv, MaxPool, AveragePool),
/// always as two axes: a 1-D window is a 2-D one of height 1. Output sizes come from type
/// inference (so ceil_mode and auto_pad agree with the interpreter); pads are resolved here.
/// </summary>
public sealed record Window(
    int InH, int InW, int KH, int KW, int StrideH, int StrideW, int DilationH, int DilationW,
    int PadTop, int PadLeft, int PadBottom, int PadRight, int OutH, int OutW)
{
    /// <summary>The window of <paramref name="node"/> for an input [N, C, spatial...] and output of the given shapes; null with a reason when unsupported.</summary>
    public static Window? Resolve(Node node, int[] input, int[] output, int[] kernel, out string? problem)
    {
        problem = null;
        int spatial = input.Length - 2;
        if (spatial is < 1 or > 2 || output.Length != input.Length || kernel.Length != spatial)
        {
            problem = $"the CPU target emits 1-D and 2-D windows; this one has {spatial} spatial axes";
            return null;
        }
        int[] Ints(string name, int fill, int count)
        {
            var values = node.Attribute(name)?.AsInts();
            return values is { Length: > 0 } v ? v.Select(x => checked((int)x)).ToArray() : Enumerable.Repeat(fill, count).ToArray();
        }
        var strides = Ints("strides", 1, spatial);
        var dilations = Ints("dilations", 1, spatial);
        var pads = Ints("pads", 0, 2 * spatial);
        string autoPad = node.Attribute("auto_pad")?.AsString() ?? "NOTSET";
        var inSpatial = input[2..];
        var outSpatial = output[2..];
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            for (int a = 0; a < spatial; a++)
            {
                int total = Math.Max(0, (outSpatial[a] - 1) * strides[a] + (kernel[a] - 1) * dilations[a] + 1 - inSpatial[a]);
                int small = total / 2;
                pads[a] = autoPad == "SAME_UPPER" ? small : total - small;
                pads[a + spatial] = total - pads[a];
            }
        }
        else if (autoPad == "VALID")
        {
            Array.Fill(pads, 0);
        }
        if (strides.Length != spatial || dilations.Length != spatial || pads.Length != 2 * spatial)
        {
            problem = "strides, dilations or pads do not match the number of spatial axes";
            return null;
        }
        return spatial == 1
            ? new Window(1, inSpatial[0], 1, kernel[0], 1, strides[0], 1, dilations[0], 0, pads[0], 0, pads[1], 1, outSpatial[0])
            : new Window(inSpatial[0], inSpatial[1], kernel[0], kernel[1], strides[0], strides[1], dilations[0], dilations[1],
                pads[0], pads[1], pads[2], pads[3], outSpatial[0], outSpatial[1]);
    }

    public int InPixels => InH * InW;

    public int OutPixels => OutH * OutW;

    public int KernelArea => KH * KW;

    /// <summary>True when the window reads each input pixel once in place (1×1, stride 1, no padding): no im2col needed.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && StrideH == 1 && StrideW == 1 && PadTop == 0 && PadLeft == 0 && OutH == InH && OutW == InW;
}

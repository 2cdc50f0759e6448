using Neurite.Ir;

namespace Neurite.Frontend.Onnx.Qonnx;

/// <summary>
/// QONNX's channels-last ops (hls4ml writes Conv and MaxPool over NHWC tensors) are the ONNX
/// op wrapped in layout changes: QONNX executes them by moving the channel axis of the data (and,
/// for Conv, of the weights [O, k..., I]) to position 1, running the standard op and moving it
/// back. The importer writes exactly that with Transpose nodes, so the IR holds only canonical
/// ops; the optimiser removes the transposes that cancel between neighbouring layers.
/// </summary>
internal static class ChannelsLastLowering
{
    private static readonly HashSet<string> Windowed = ["Conv", "MaxPool", "AveragePool"];

    /// <summary>The nodes with every channels-last op it knows replaced; others are left for the verifier to report.</summary>
    public static List<Node> Lower(IReadOnlyList<Node> nodes, HashSet<string> usedNames)
    {
        var lowered = new List<Node>(nodes.Count);
        foreach (var node in nodes)
        {
            if (node.Domain != QonnxDomains.ChannelsLast || !Windowed.Contains(node.OpType) || node.Outputs.Length != 1
                || node.Attribute("kernel_shape") is not { } kernel || !node.HasInput(0))
            {
                lowered.Add(node);
                continue;
            }
            int rank = kernel.AsInts().Length + 2;
            long[] toChannelsFirst = [0, rank - 1, .. Enumerable.Range(1, rank - 2).Select(i => (long)i)];
            long[] toChannelsLast = [0, .. Enumerable.Range(2, rank - 2).Select(i => (long)i), 1];

            var inputs = node.Inputs.ToArray();
            // Conv's weights are channels-last too ([O, k..., I/group]); its bias is a vector either way.
            int transposedInputs = node.OpType == "Conv" ? Math.Min(2, inputs.Length) : 1;
            for (int i = 0; i < transposedInputs; i++)
            {
                string channelsFirst = Fresh($"{inputs[i]}_channels_first", usedNames);
                lowered.Add(Transpose($"{node.Name}/input{i}_to_channels_first", inputs[i], channelsFirst, toChannelsFirst));
                inputs[i] = channelsFirst;
            }
            string output = node.Outputs[0];
            string result = Fresh($"{output}_channels_first", usedNames);
            lowered.Add(new Node(node.Name, node.OpType, inputs, [result], node.Attributes, OpDomains.Onnx));
            lowered.Add(Transpose($"{node.Name}/output_to_channels_last", result, output, toChannelsLast));
        }
        return lowered;
    }

    private static Node Transpose(string name, string input, string output, long[] perm) =>
        new(name, "Transpose", [input], [output], [new("perm", AttributeValue.FromInts(perm))]);

    private static string Fresh(string candidate, HashSet<string> used)
    {
        string name = candidate;
        for (int i = 1; !used.Add(name); i++)
        {
            name = $"{candidate}_{i}";
        }
        return name;
    }
}

namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// Fixed-point convolution (1-d, 2-d or 3-d, grouped, strided, dilated, padded) on raw int64
/// values: each group's input patches become the rows of a matrix (one row per output position,
/// channel-major then kernel offset, the layout of the weights' rows), and every output is one
/// <see cref="FixedPointAccumulator"/> dot product of a weight row with a patch. Padding is raw 0,
/// the real value zero, as ONNX pads.
/// </summary>
public static class FixedPointConvolution
{
    /// <summary>y (N, M, output...) raw of the layer's output type, from x (N, C, input...) and w (M, C/group, kernel...).</summary>
    public static long[] Run(long[] x, int batch, int channels, long[] weights, int outputChannels, ReadOnlySpan<long> bias,
        ConvGeometry geometry, FixedPointAccumulator layer)
    {
        int group = geometry.Group;
        if (channels % group != 0 || outputChannels % group != 0)
        {
            throw new InvalidNodeException($"group {group} does not divide the {channels} input and {outputChannels} output channels");
        }
        if (geometry.SpatialRank > 3)
        {
            throw new InvalidNodeException($"fixed-point convolutions are implemented for 1 to 3 spatial axes, not {geometry.SpatialRank}");
        }
        int groupChannels = channels / group, groupOutputs = outputChannels / group;
        int depth = groupChannels * geometry.KernelSize;
        int inputSize = geometry.InputSize, outputSize = geometry.OutputSize;
        var output = new long[batch * outputChannels * outputSize];
        var patches = new long[outputSize * depth];
        for (int n = 0; n < batch; n++)
        {
            for (int g = 0; g < group; g++)
            {
                Patches(x.AsSpan((n * channels + g * groupChannels) * inputSize, groupChannels * inputSize), groupChannels, geometry, patches);
                layer.Run(weights.AsSpan(g * groupOutputs * depth, groupOutputs * depth), groupOutputs, patches, outputSize, depth,
                    bias.IsEmpty ? bias : bias.Slice(g * groupOutputs, groupOutputs), biasByRow: true,
                    output.AsSpan((n * outputChannels + g * groupOutputs) * outputSize, groupOutputs * outputSize));
            }
        }
        return output;
    }

    /// <summary>Row p = the input values under output position p, (channel, kernel offset) in row-major order; every geometry seen as 3-d.</summary>
    private static void Patches(ReadOnlySpan<long> input, int channels, ConvGeometry g, Span<long> patches)
    {
        var (size, kernel, stride, dilation, pad, output) = g.As3D();
        int plane = size[1] * size[2], volume = size[0] * plane;
        int depth = channels * kernel[0] * kernel[1] * kernel[2];
        int row = 0;
        for (int od = 0; od < output[0]; od++)
        {
            for (int oh = 0; oh < output[1]; oh++)
            {
                for (int ow = 0; ow < output[2]; ow++, row++)
                {
                    var patch = patches.Slice(row * depth, depth);
                    int column = 0;
                    for (int c = 0; c < channels; c++)
                    {
                        for (int kd = 0; kd < kernel[0]; kd++)
                        {
                            int id = od * stride[0] - pad[0] + kd * dilation[0];
                            for (int kh = 0; kh < kernel[1]; kh++)
                            {
                                int ih = oh * stride[1] - pad[1] + kh * dilation[1];
                                bool inside = (uint)id < (uint)size[0] && (uint)ih < (uint)size[1];
                                int line = c * volume + id * plane + ih * size[2];
                                for (int kw = 0; kw < kernel[2]; kw++, column++)
                                {
                                    int iw = ow * stride[2] - pad[2] + kw * dilation[2];
                                    patch[column] = inside && (uint)iw < (uint)size[2] ? input[line + iw] : 0;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

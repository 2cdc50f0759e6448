namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// Exact integer convolution (1-d, 2-d or 3-d, grouped, strided, dilated, padded): each group's
/// input patches are laid out as a column matrix (im2col) and multiplied by the group's weights
/// with <see cref="IntegerGemm"/>. Inputs come with their zero points already subtracted, so
/// padding is 0: the real value zero, as the ONNX reference pads.
/// </summary>
public static class IntegerConvolution
{
    /// <summary>
    /// y (N, M, output...) = conv(x (N, C, input...), w (M, C/group, kernel...)) with int32 accumulation.
    /// </summary>
    public static int[] Run(int[] x, int batch, int channels, int[] weights, int outputChannels, ConvGeometry geometry)
    {
        int group = geometry.Group;
        if (channels % group != 0 || outputChannels % group != 0)
        {
            throw new InvalidNodeException($"group {group} does not divide the {channels} input and {outputChannels} output channels");
        }
        if (geometry.SpatialRank > 3)
        {
            throw new InvalidNodeException($"integer convolutions are implemented for 1 to 3 spatial axes, not {geometry.SpatialRank}");
        }
        int groupChannels = channels / group;
        int groupOutputs = outputChannels / group;
        int depth = groupChannels * geometry.KernelSize;
        int inputSize = geometry.InputSize;
        int outputSize = geometry.OutputSize;
        var output = new int[batch * outputChannels * outputSize];
        bool pointwise = geometry.IsPointwise;
        var columns = pointwise ? [] : new int[depth * outputSize];
        for (int n = 0; n < batch; n++)
        {
            for (int g = 0; g < group; g++)
            {
                int inputOffset = (n * channels + g * groupChannels) * inputSize;
                ReadOnlySpan<int> matrix;
                if (pointwise)
                {
                    matrix = x.AsSpan(inputOffset, groupChannels * inputSize);
                }
                else
                {
                    Im2Col(x.AsSpan(inputOffset, groupChannels * inputSize), groupChannels, geometry, columns);
                    matrix = columns;
                }
                var target = output.AsSpan((n * outputChannels + g * groupOutputs) * outputSize, groupOutputs * outputSize);
                IntegerGemm.Multiply(weights.AsSpan(g * groupOutputs * depth, groupOutputs * depth), depth,
                    matrix, outputSize, target, outputSize, groupOutputs, depth, outputSize);
            }
        }
        return output;
    }

    /// <summary>
    /// Rows (channel, kernel offset) × columns (output position); positions that fall in the
    /// padding get 0. Every geometry is seen as 3-d, with leading axes of size 1.
    /// </summary>
    private static void Im2Col(ReadOnlySpan<int> input, int channels, ConvGeometry g, Span<int> columns)
    {
        var (size, kernel, stride, dilation, pad, output) = g.As3D();
        int plane = size[1] * size[2];
        int outputCount = output[0] * output[1] * output[2];
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var channel = input.Slice(c * size[0] * plane, size[0] * plane);
            for (int kd = 0; kd < kernel[0]; kd++)
            {
                for (int kh = 0; kh < kernel[1]; kh++)
                {
                    for (int kw = 0; kw < kernel[2]; kw++, row++)
                    {
                        var destination = columns.Slice(row * outputCount, outputCount);
                        int index = 0;
                        for (int od = 0; od < output[0]; od++)
                        {
                            int id = od * stride[0] - pad[0] + kd * dilation[0];
                            for (int oh = 0; oh < output[1]; oh++)
                            {
                                int ih = oh * stride[1] - pad[1] + kh * dilation[1];
                                var line = destination.Slice(index, output[2]);
                                index += output[2];
                                if ((uint)id >= (uint)size[0] || (uint)ih >= (uint)size[1])
                                {
                                    line.Clear();
                                    continue;
                                }
                                var source = channel.Slice(id * plane + ih * size[2], size[2]);
                                int iw = kw * dilation[2] - pad[2];
                                if (stride[2] == 1 && iw >= 0 && iw + output[2] <= size[2])
                                {
                                    source.Slice(iw, output[2]).CopyTo(line);
                                    continue;
                                }
                                for (int ow = 0; ow < line.Length; ow++, iw += stride[2])
                                {
                                    line[ow] = (uint)iw < (uint)size[2] ? source[iw] : 0;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

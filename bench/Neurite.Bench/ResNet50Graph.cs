using Neurite.Ir;

namespace Neurite.Bench;

/// <summary>
/// ResNet-50 (He et al. 2015, the torchvision layout) built through <see cref="GraphBuilder"/>:
/// a 7×7 stem, bottleneck stages of 3, 4, 6 and 3 blocks with projection shortcuts, global
/// average pooling and a 1000-way classifier; every convolution is followed by a
/// BatchNormalization, so the folding passes have 53 of them to fold. 25.6 M parameters.
/// Weights are reproducible random values scaled like He initialisation, BatchNormalization
/// statistics random but positive, so the network computes finite, non-trivial outputs.
/// </summary>
public static class ResNet50Graph
{
    public static Model Build(int seed = 50)
    {
        var random = new Random(seed);
        var b = new GraphBuilder("resnet50");
        var x = b.Input("image", TypeSyntax.ParseType("f32[1, 3, 224, 224]"));
        int channels = 3;
        string h = ConvBn(b, random, x, ref channels, 64, kernel: 7, stride: 2, name: "stem");
        h = b.Node("Relu", [h]);
        h = b.Node("MaxPool", [h], new() { ["kernel_shape"] = new long[] { 3, 3 }, ["strides"] = new long[] { 2, 2 }, ["pads"] = new long[] { 1, 1, 1, 1 } });
        (int Blocks, int Width)[] stages = [(3, 64), (4, 128), (6, 256), (3, 512)];
        for (int s = 0; s < stages.Length; s++)
        {
            for (int block = 0; block < stages[s].Blocks; block++)
            {
                int stride = block == 0 && s > 0 ? 2 : 1;
                h = Bottleneck(b, random, h, ref channels, stages[s].Width, stride, $"stage{s + 1}.{block}");
            }
        }
        h = b.Node("GlobalAveragePool", [h]);
        h = b.Node("Flatten", [h], new() { ["axis"] = 1 });
        var fcWeight = b.Initializer("fc.weight", Weights(random, [1000, channels], channels));
        var fcBias = b.Initializer("fc.bias", Weights(random, [1000], 1000));
        b.Output(b.Node("Gemm", [h, fcWeight, fcBias], new() { ["transB"] = 1 }, outputName: "logits"));
        return new Model(b.Build(), new Dictionary<string, int> { [""] = 17 });
    }

    private static string Bottleneck(GraphBuilder b, Random random, string input, ref int channels, int width, int stride, string name)
    {
        int inChannels = channels;
        string h = b.Node("Relu", [ConvBn(b, random, input, ref channels, width, 1, 1, $"{name}.conv1")]);
        h = b.Node("Relu", [ConvBn(b, random, h, ref channels, width, 3, stride, $"{name}.conv2")]);
        h = ConvBn(b, random, h, ref channels, width * 4, 1, 1, $"{name}.conv3");
        string shortcut = input;
        if (stride != 1 || inChannels != width * 4)
        {
            int projected = inChannels;
            shortcut = ConvBn(b, random, input, ref projected, width * 4, 1, stride, $"{name}.downsample");
        }
        return b.Node("Relu", [b.Node("Add", [h, shortcut])]);
    }

    private static string ConvBn(GraphBuilder b, Random random, string input, ref int channels, int outChannels, int kernel, int stride, string name)
    {
        int fanIn = channels * kernel * kernel;
        var weight = b.Initializer($"{name}.weight", Weights(random, [outChannels, channels, kernel, kernel], fanIn));
        int pad = kernel / 2;
        string conv = b.Node("Conv", [input, weight], new()
        {
            ["kernel_shape"] = new long[] { kernel, kernel }, ["strides"] = new long[] { stride, stride }, ["pads"] = new long[] { pad, pad, pad, pad },
        }, nodeName: name);
        channels = outChannels;
        return b.Node("BatchNormalization", [conv,
            b.Initializer($"{name}.bn.scale", Uniform(random, outChannels, 0.5f, 1.5f)),
            b.Initializer($"{name}.bn.bias", Uniform(random, outChannels, -0.1f, 0.1f)),
            b.Initializer($"{name}.bn.mean", Uniform(random, outChannels, -0.1f, 0.1f)),
            b.Initializer($"{name}.bn.var", Uniform(random, outChannels, 0.5f, 1.5f))], nodeName: $"{name}.bn");
    }

    private static Tensor Weights(Random random, int[] shape, int fanIn)
    {
        float bound = MathF.Sqrt(6f / fanIn);
        var values = new float[Tensor.ElementCountOf(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * bound;
        }
        return Tensor.Create(values, shape);
    }

    private static Tensor Uniform(Random random, int count, float low, float high)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + (float)random.NextDouble() * (high - low);
        }
        return Tensor.Create(values, count);
    }
}

using Neurite.Ir;
using Neurite.Ir.Kernels.Quantization;
using Neurite.Ir.Ops;

namespace Neurite.Models.Tests.Quantized;

/// <summary>
/// A test-only model of how ONNX Runtime's x86 u8×s8 GEMM kernels compute on CPUs without VNNI
/// (AVX2, AVX-512 "core"): VPMADDUBSW multiplies adjacent pairs of raw (not zero-point-shifted)
/// uint8 activations and int8 weights along K and adds each pair into a SATURATED int16, then
/// VPMADDWD widens to int32. The zero-point corrections are added exactly afterwards. QLinearConv
/// runs channels-last, so K is ordered (kernel row, kernel column, channel). Depthwise
/// convolutions use a separate int32 kernel and stay exact. This is not Neurite's semantics (the
/// ONNX specification asks for exact int32 accumulation); it reproduces the machine the model
/// zoo's int8 reference outputs were generated on, to show where they differ from the specification.
/// </summary>
internal static class MlasU8S8Emulation
{
    public const string Domain = "test.mlas-u8s8-no-vnni";

    public static OpRegistry Registry { get; } = OpRegistry.Default.With([new SaturatingQLinearConv(), new SaturatingQLinearMatMul()]);

    /// <summary>The model with every uint8×int8 QLinearConv (not depthwise) and QLinearMatMul moved to the emulating ops.</summary>
    public static Model Rewrite(Model model)
    {
        var nodes = model.Graph.Nodes.Select(node =>
        {
            bool conv = node.OpType == "QLinearConv" && node.Domain.Length == 0 && (node.Attribute("group")?.AsInt() ?? 1) == 1;
            bool matMul = node.OpType == "QLinearMatMul" && node.Domain.Length == 0;
            // The activation's type is its zero point's (an initializer); the weights are an initializer.
            if (!(conv || matMul) || ConstantType(model, node.Inputs[2]) != DataType.UInt8 || ConstantType(model, node.Inputs[3]) != DataType.Int8)
            {
                return node;
            }
            return new Node(node.Name, node.OpType, node.Inputs, node.Outputs, node.Attributes, Domain);
        }).ToList();
        var opsets = new Dictionary<string, int>(model.Opsets) { [Domain] = 1 };
        return new Model(model.Graph.With(nodes: nodes), opsets, model.Metadata);
    }

    private static DataType? ConstantType(Model model, string name) =>
        model.Graph.Initializers.FirstOrDefault(i => i.Name == name)?.Value.DataType;

    /// <summary>Σ a·b over K in adjacent pairs, each pair saturated to int16 as VPMADDUBSW does.</summary>
    private static int SaturatedPairSum(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int sum = 0;
        for (int k = 0; k < a.Length; k += 2)
        {
            int pair = a[k] * b[k] + (k + 1 < a.Length ? a[k + 1] * b[k + 1] : 0);
            sum += Math.Clamp(pair, short.MinValue, short.MaxValue);
        }
        return sum;
    }

    private static int Scalar(Tensor? tensor) => tensor is null ? 0 : IntegerValues.ToInt32(tensor)[0];

    private sealed class SaturatingQLinearConv : OpDefinition
    {
        private static readonly QLinearConv Standard = new();

        public override string Name => "QLinearConv";
        public override string Domain => MlasU8S8Emulation.Domain;
        public override OpSignature Signature => Standard.Signature;
        public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => Standard.InferTypes(context);

        public override void Evaluate(EvaluationContext context)
        {
            var x = context.Input(0);
            var w = context.Input(3);
            var g = ConvGeometry.Create(context, x.Shape, w.Shape);
            int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), width = x.Dim(3), m = w.Dim(0), kh = w.Dim(2), kw = w.Dim(3);
            int oh = g.Output[0], ow = g.Output[1], k = kh * kw * c;
            int xZero = Scalar(context.Input(2));
            var wZeros = IntegerValues.ZeroPoints(context.Input(5), m, "w_zero_point");
            var xs = IntegerValues.ToInt32(x);
            var ws = IntegerValues.ToInt32(w);
            // Weights reordered channels-last: [m][row][column][channel].
            var packed = new int[m * k];
            var weightSums = new int[m];
            for (int o = 0; o < m; o++)
            {
                for (int r = 0; r < kh; r++)
                {
                    for (int s = 0; s < kw; s++)
                    {
                        for (int ch = 0; ch < c; ch++)
                        {
                            int value = ws[((o * c + ch) * kh + r) * kw + s];
                            packed[o * k + (r * kw + s) * c + ch] = value;
                            weightSums[o] += value;
                        }
                    }
                }
            }
            var accumulators = new int[n * m * oh * ow];
            var patch = new int[k];
            for (int b = 0; b < n; b++)
            {
                for (int y = 0; y < oh; y++)
                {
                    for (int z = 0; z < ow; z++)
                    {
                        int patchSum = 0;
                        for (int r = 0; r < kh; r++)
                        {
                            for (int s = 0; s < kw; s++)
                            {
                                int iy = y * g.Strides[0] - g.PadsBegin[0] + r * g.Dilations[0];
                                int ix = z * g.Strides[1] - g.PadsBegin[1] + s * g.Dilations[1];
                                bool inside = iy >= 0 && iy < h && ix >= 0 && ix < width;
                                for (int ch = 0; ch < c; ch++)
                                {
                                    // Padding holds the activation zero point, as the channels-last im2col writes it.
                                    int value = inside ? xs[((b * c + ch) * h + iy) * width + ix] : xZero;
                                    patch[(r * kw + s) * c + ch] = value;
                                    patchSum += value;
                                }
                            }
                        }
                        for (int o = 0; o < m; o++)
                        {
                            int raw = SaturatedPairSum(patch, packed.AsSpan(o * k, k));
                            accumulators[((b * m + o) * oh + y) * ow + z] = raw - wZeros[o] * patchSum - xZero * weightSums[o] + k * xZero * wZeros[o];
                        }
                    }
                }
            }
            int rowLength = oh * ow;
            if (context.OptionalInput(8) is Tensor bias)
            {
                var biases = IntegerValues.ToInt32(bias);
                for (int row = 0; row < n * m; row++)
                {
                    for (int i = 0; i < rowLength; i++)
                    {
                        accumulators[row * rowLength + i] += biases[row % m];
                    }
                }
            }
            var scaleType = context.Input(1).DataType;
            float xScale = IntegerValues.Scale(context.Input(1), "x_scale"), yScale = IntegerValues.Scale(context.Input(6), "y_scale");
            var multipliers = IntegerValues.Scales(context.Input(4), m, "w_scale").Select(s => Requantization.Multiplier(xScale, s, yScale, scaleType)).ToArray();
            var yZero = IntegerValues.RequireScalar(context.Input(7), "y_zero_point");
            context.SetOutput(0, Requantization.Rows(accumulators, rowLength, multipliers, IntegerValues.ZeroPoints(yZero, m, "y_zero_point"), yZero.ElementType, [n, m, oh, ow]));
        }
    }

    private sealed class SaturatingQLinearMatMul : OpDefinition
    {
        private static readonly QLinearMatMul Standard = new();

        public override string Name => "QLinearMatMul";
        public override string Domain => MlasU8S8Emulation.Domain;
        public override OpSignature Signature => Standard.Signature;
        public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => Standard.InferTypes(context);

        public override void Evaluate(EvaluationContext context)
        {
            var a = context.Input(0);
            var b = context.Input(3);
            if (a.Rank != 2 || b.Rank != 2)
            {
                throw new InvalidNodeException("the emulation covers 2-D QLinearMatMul only");
            }
            int rows = a.Dim(0), depth = a.Dim(1), columns = b.Dim(1);
            int aZero = Scalar(context.Input(2));
            var bZeros = IntegerValues.ZeroPoints(context.Input(5), columns, "b_zero_point");
            var av = IntegerValues.ToInt32(a);
            var bv = IntegerValues.ToInt32(b);
            var accumulators = new int[rows * columns];
            var column = new int[depth];
            for (int j = 0; j < columns; j++)
            {
                int columnSum = 0;
                for (int d = 0; d < depth; d++)
                {
                    column[d] = bv[d * columns + j];
                    columnSum += column[d];
                }
                for (int i = 0; i < rows; i++)
                {
                    var row = av.AsSpan(i * depth, depth);
                    int rowSum = 0;
                    foreach (int value in row)
                    {
                        rowSum += value;
                    }
                    accumulators[i * columns + j] = SaturatedPairSum(row, column) - bZeros[j] * rowSum - aZero * columnSum + depth * aZero * bZeros[j];
                }
            }
            var scaleType = context.Input(1).DataType;
            float aScale = IntegerValues.Scale(context.Input(1), "a_scale"), yScale = IntegerValues.Scale(context.Input(6), "y_scale");
            var multipliers = IntegerValues.Scales(context.Input(4), columns, "b_scale").Select(s => Requantization.Multiplier(aScale, s, yScale, scaleType)).ToArray();
            var yZero = IntegerValues.RequireScalar(context.Input(7), "y_zero_point");
            var range = Requantization.Range(yZero.ElementType);
            int zero = IntegerValues.ToInt32(yZero)[0];
            for (int i = 0; i < rows; i++)
            {
                Requantization.Requantize(accumulators.AsSpan(i * columns, columns), multipliers, zero, range);
            }
            context.SetOutput(0, Requantization.ToTensor(accumulators, yZero.ElementType, [rows, columns]));
        }
    }
}

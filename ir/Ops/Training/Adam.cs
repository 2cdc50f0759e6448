namespace Neurite.Ir.Ops;

/// <summary>
/// Adam (ai.onnx.preview.training): inputs R, T, X.., G.., V.., H..; outputs X_new.., V_new.., H_new...
/// <code>
///   g = norm_coefficient * X + G
///   V_new = alpha * V + (1 - alpha) * g;  H_new = beta * H + (1 - beta) * g²
///   r = T > 0 ? R * sqrt(1 - beta^T) / (1 - alpha^T) : R      (bias correction)
///   X_new = (1 - norm_coefficient_post) * (X - r * V_new / (sqrt(H_new) + epsilon))
/// </code>
/// </summary>
public sealed class Adam : OpDefinition
{
    public override string Name => "Adam";

    public override string Domain => OptimizerDomain.Training;

    public override OpSignature Signature { get; } = OptimizerInputs.Signature(b => b
        .Attr("alpha", 0.9f)
        .Attr("beta", 0.999f)
        .Attr("epsilon", 0f)
        .Attr("norm_coefficient", 0f)
        .Attr("norm_coefficient_post", 0f));

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => OptimizerInputs.Infer(context, 4, [0, 2, 3]);

    public override void Evaluate(EvaluationContext context)
    {
        int n = OptimizerInputs.TensorCount(context.InputCount, 4);
        double alpha = context.Float("alpha"), beta = context.Float("beta"), epsilon = context.Float("epsilon");
        double norm = context.Float("norm_coefficient"), normPost = context.Float("norm_coefficient_post");
        double step = OptimizerInputs.Scalar(context, 1);
        double rate = OptimizerInputs.Scalar(context, 0);
        if (step > 0)
        {
            rate *= Math.Sqrt(1 - Math.Pow(beta, step)) / (1 - Math.Pow(alpha, step));
        }
        for (int i = 0; i < n; i++)
        {
            int xIndex = 2 + i, gIndex = 2 + n + i, vIndex = 2 + 2 * n + i, hIndex = 2 + 3 * n + i;
            var x = OptimizerInputs.Values(context, xIndex, xIndex);
            var g = OptimizerInputs.Values(context, gIndex, xIndex);
            var v = OptimizerInputs.Values(context, vIndex, xIndex);
            var h = OptimizerInputs.Values(context, hIndex, xIndex);
            for (int k = 0; k < x.Length; k++)
            {
                double regularised = norm * x[k] + g[k];
                v[k] = alpha * v[k] + (1 - alpha) * regularised;
                h[k] = beta * h[k] + (1 - beta) * regularised * regularised;
                x[k] = (1 - normPost) * (x[k] - rate * v[k] / (Math.Sqrt(h[k]) + epsilon));
            }
            OptimizerInputs.Set(context, i, x, xIndex);
            OptimizerInputs.Set(context, n + i, v, vIndex);
            OptimizerInputs.Set(context, 2 * n + i, h, hIndex);
        }
    }
}

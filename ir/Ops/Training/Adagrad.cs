namespace Neurite.Ir.Ops;

/// <summary>
/// Adagrad (ai.onnx.preview.training): inputs R, T, X1..Xn, G1..Gn, H1..Hn; outputs X_new, H_new.
/// <code>
///   r = R / (1 + T * decay_factor);  g = norm_coefficient * X + G
///   H_new = H + g²;  X_new = X - r * g / (sqrt(H_new) + epsilon)
/// </code>
/// </summary>
public sealed class Adagrad : OpDefinition
{
    public override string Name => "Adagrad";

    public override string Domain => OptimizerDomain.Training;

    public override OpSignature Signature { get; } = OptimizerInputs.Signature(b => b
        .Attr("decay_factor", 0f)
        .Attr("epsilon", 0f)
        .Attr("norm_coefficient", 0f));

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context) => OptimizerInputs.Infer(context, 3, [0, 2]);

    public override void Evaluate(EvaluationContext context)
    {
        int n = OptimizerInputs.TensorCount(context.InputCount, 3);
        double rate = OptimizerInputs.Scalar(context, 0) / (1 + OptimizerInputs.Scalar(context, 1) * context.Float("decay_factor"));
        double epsilon = context.Float("epsilon"), norm = context.Float("norm_coefficient");
        for (int i = 0; i < n; i++)
        {
            int xIndex = 2 + i, gIndex = 2 + n + i, hIndex = 2 + 2 * n + i;
            var x = OptimizerInputs.Values(context, xIndex, xIndex);
            var g = OptimizerInputs.Values(context, gIndex, xIndex);
            var h = OptimizerInputs.Values(context, hIndex, xIndex);
            for (int k = 0; k < x.Length; k++)
            {
                double regularised = norm * x[k] + g[k];
                h[k] += regularised * regularised;
                x[k] -= rate * regularised / (Math.Sqrt(h[k]) + epsilon);
            }
            OptimizerInputs.Set(context, i, x, xIndex);
            OptimizerInputs.Set(context, n + i, h, hIndex);
        }
    }
}

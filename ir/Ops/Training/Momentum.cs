namespace Neurite.Ir.Ops;

/// <summary>
/// Momentum (ai.onnx.preview.training): inputs R, T, X.., G.., V..; outputs X_new.., V_new...
/// <code>
///   g = norm_coefficient * X + G;  V_new = alpha * V + (T > 0 ? beta : 1) * g
///   "standard": X_new = X - R * V_new
///   "nesterov": X_new = X - R * (g + alpha * V_new)
/// </code>
/// </summary>
public sealed class Momentum : OpDefinition
{
    public override string Name => "Momentum";

    public override string Domain => OptimizerDomain.Training;

    public override OpSignature Signature { get; } = OptimizerInputs.Signature(b => b
        .Attr("alpha", AttributeKind.Float, required: true)
        .Attr("beta", AttributeKind.Float, required: true)
        .Attr("mode", AttributeKind.String, required: true)
        .Attr("norm_coefficient", AttributeKind.Float, required: true));

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        Nesterov(context);
        return OptimizerInputs.Infer(context, 3, [0, 2]);
    }

    public override void Evaluate(EvaluationContext context)
    {
        int n = OptimizerInputs.TensorCount(context.InputCount, 3);
        bool nesterov = Nesterov(context);
        double rate = OptimizerInputs.Scalar(context, 0);
        double alpha = context.Float("alpha"), norm = context.Float("norm_coefficient");
        // The first step takes the whole gradient.
        double beta = OptimizerInputs.Scalar(context, 1) > 0 ? context.Float("beta") : 1.0;
        for (int i = 0; i < n; i++)
        {
            int xIndex = 2 + i, gIndex = 2 + n + i, vIndex = 2 + 2 * n + i;
            var x = OptimizerInputs.Values(context, xIndex, xIndex);
            var g = OptimizerInputs.Values(context, gIndex, xIndex);
            var v = OptimizerInputs.Values(context, vIndex, xIndex);
            for (int k = 0; k < x.Length; k++)
            {
                double regularised = norm * x[k] + g[k];
                v[k] = alpha * v[k] + beta * regularised;
                x[k] -= rate * (nesterov ? regularised + alpha * v[k] : v[k]);
            }
            OptimizerInputs.Set(context, i, x, xIndex);
            OptimizerInputs.Set(context, n + i, v, vIndex);
        }
    }

    private static bool Nesterov(OpContext context) => context.String("mode") switch
    {
        "standard" => false,
        "nesterov" => true,
        var other => throw new InvalidNodeException($"mode must be \"standard\" or \"nesterov\", not \"{other}\""),
    };
}

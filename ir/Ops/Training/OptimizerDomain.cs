namespace Neurite.Ir.Ops;

/// <summary>The domain of ONNX's training operators (optimizers, Gradient).</summary>
internal static class OptimizerDomain
{
    public const string Training = "ai.onnx.preview.training";
}

namespace Neurite.Ir.Ops;

/// <summary>Type inference the QONNX quantisers share: a float32 result over broadcast operands.</summary>
internal static class QonnxShapes
{
    /// <summary>float32 with the numpy broadcast of the first <paramref name="operands"/> inputs' shapes.</summary>
    public static TensorType Broadcast(InferenceContext context, int operands)
    {
        var shape = Shape.Scalar;
        for (int i = 0; i < operands; i++)
        {
            if (context.InputTensorType(i) is not TensorType t)
            {
                return TypeRules.UnknownShape(ElementType.Float32);
            }
            shape = Kernels.Broadcasting.Shape(shape, t.Shape);
        }
        return new TensorType(ElementType.Float32, shape);
    }
}

using Neurite.Ir.Kernels.Quantization;

namespace Neurite.Ir.Ops;

/// <summary>
/// What the fixed-point ops share: every fixed-point type is a string attribute in the type syntax
/// (<c>x_type="fixed&lt;16,6&gt;"</c>, <c>output_type="fixed&lt;16,6,rnd,sat&gt;"</c>), so a node says
/// exactly what its integers mean and what its cast does, survives ONNX export as text, and reads
/// back from the Neurite language. Where an input's declared type is fixed point too, it must agree.
/// </summary>
internal static class FixedPointAttributes
{
    /// <summary>The type in attribute <paramref name="name"/>, which must be a fixed-point type.</summary>
    public static FixedPointType Type(OpContext context, string name)
    {
        string text = context.String(name);
        ElementType parsed;
        try
        {
            parsed = TypeSyntax.ParseElementType(text);
        }
        catch (FormatException e)
        {
            throw new InvalidNodeException($"{name} \"{text}\" is not a type: {e.Message}");
        }
        return parsed as FixedPointType ?? throw new InvalidNodeException($"{name} must be a fixed-point type (fixed<W,I> or ufixed<W,I>), got {parsed}");
    }

    public static FixedPointType? OptionalType(OpContext context, string name) => context.HasAttribute(name) ? Type(context, name) : null;

    /// <summary>
    /// Throws when input <paramref name="index"/> is declared as a fixed-point type other than the
    /// one the node computes with (the rounding and overflow modes of a value are how it was made,
    /// so only the width, the integer bits and the signedness must agree).
    /// </summary>
    public static void CheckInput(InferenceContext context, int index, FixedPointType expected, string attribute)
    {
        if (context.HasInput(index) && context.InputTensorType(index)?.ElementType is FixedPointType declared
            && (declared.Width != expected.Width || declared.IntegerBits != expected.IntegerBits || declared.Signed != expected.Signed))
        {
            throw new InvalidNodeException(
                $"input '{context.Node.Inputs[index]}' is {declared} but {attribute} says {expected}");
        }
    }

    /// <summary>The signature attributes of the layers (FixedGemm, FixedConv).</summary>
    public static OpSignature.Builder AddLayer(OpSignature.Builder builder) => builder
        .Attr("x_type", AttributeKind.String, required: true)
        .Attr("w_type", AttributeKind.String, required: true)
        .Attr("b_type", AttributeKind.String)
        .Attr("accumulator_type", AttributeKind.String, required: true)
        .Attr("output_type", AttributeKind.String, required: true)
        .Attr("relu", 0L);

    public static FixedPointType InferLayer(InferenceContext context)
    {
        CheckInput(context, 0, Type(context, "x_type"), "x_type");
        CheckInput(context, 1, Type(context, "w_type"), "w_type");
        if (context.HasInput(2))
        {
            CheckInput(context, 2, BiasType(context), "b_type");
        }
        return Layer(context).Output;
    }

    public static FixedPointAccumulator Layer(OpContext context) => new(Type(context, "x_type"), Type(context, "w_type"),
        Type(context, "accumulator_type"), Type(context, "output_type"), context.Int("relu") != 0);

    /// <summary>The bias cast to the accumulator, one per output channel; empty without a bias.</summary>
    public static long[] Bias(EvaluationContext context, FixedPointAccumulator layer, int channels)
    {
        if (context.OptionalInput(2) is not { } bias)
        {
            return [];
        }
        if (bias.Length != channels)
        {
            throw new InvalidNodeException($"the bias must have one value per output channel ({channels}), got {bias.Length}");
        }
        var type = BiasType(context);
        return FixedPointTensors.Raw(bias).Select(b => layer.Bias(b, type)).ToArray();
    }

    private static FixedPointType BiasType(OpContext context) =>
        OptionalType(context, "b_type") ?? throw new InvalidNodeException("a bias is given but no b_type says what its integers mean");
}

using System.Numerics;
using System.Numerics.Tensors;
using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// Clip: min(max(x, lower), upper). Before opset 11 the bounds are float attributes; from 11 on
/// they are optional scalar inputs of X's type (12 on: any numeric type). A lower bound above the
/// upper one gives the upper bound everywhere, as numpy.clip does; NaN stays NaN. On a quantised
/// or fixed-point input the bounds are raw integers of its storage type (a clamp on the grid).
/// </summary>
public sealed class Clip : OpDefinition
{
    public override string Name => "Clip";

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("input").Optional("min").Optional("max").Output("output")
        .Attr("min", AttributeKind.Float).Attr("max", AttributeKind.Float).Attr("consumed_inputs", AttributeKind.Ints)
        .Build();

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        if (context.InputTensorType(0) is TensorType x)
        {
            for (int i = 1; i < Math.Min(3, context.InputCount); i++)
            {
                if (context.HasInput(i) && context.InputTensorType(i) is TensorType bound && !bound.ElementType.Equals(x.ElementType)
                    && !(x.ElementType is QuantizedType or FixedPointType && bound.ElementType.Equals(ElementType.Of(x.ElementType.Storage))))
                {
                    throw new InvalidNodeException($"Clip's {(i == 1 ? "min" : "max")} must have the input's element type {x.ElementType}, got {bound.ElementType}");
                }
            }
        }
        return TypeRules.SameAsInput(context);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input(0);
        Tensor? lower, upper;
        if (context.Opset < 11)
        {
            lower = context.HasAttribute("min") ? Tensor.Scalar(context.Float("min")) : null;
            upper = context.HasAttribute("max") ? Tensor.Scalar(context.Float("max")) : null;
            if (x.DataType != DataType.Float32)
            {
                lower = lower is null ? null : TensorConvert.Convert(lower, x.ElementType.Storage);
                upper = upper is null ? null : TensorConvert.Convert(upper, x.ElementType.Storage);
            }
        }
        else
        {
            lower = Bound(context, 1, x);
            upper = Bound(context, 2, x);
        }
        if (HalfPrecision.IsHalf(x.DataType))
        {
            var widened = Tensor.Create(HalfPrecision.Widen(x), x.ShapeArray());
            var clipped = NumericTypeSwitch.Visit<Visitor, Tensor>(DataType.Float32, new Visitor(widened, Widen(lower), Widen(upper)), Name);
            context.SetOutput(0, HalfPrecision.Narrow(clipped.AsArray<float>(), x.ElementType, x.Shape));
            return;
        }
        context.SetOutput(0, NumericTypeSwitch.Visit<Visitor, Tensor>(x.DataType, new Visitor(x, lower, upper), Name));
    }

    private static Tensor? Bound(EvaluationContext context, int index, Tensor x)
    {
        var bound = context.OptionalInput(index);
        if (bound is null)
        {
            return null;
        }
        if (bound.DataType != x.DataType)
        {
            throw new InvalidNodeException($"Clip's {(index == 1 ? "min" : "max")} must have the input's element type {x.ElementType}, got {bound.ElementType}");
        }
        if (bound.Length != 1)
        {
            throw new InvalidNodeException($"Clip's {(index == 1 ? "min" : "max")} must be a scalar, got shape [{string.Join(",", bound.ShapeArray())}]");
        }
        return bound;
    }

    private static Tensor? Widen(Tensor? bound) => bound is null ? null : Tensor.Create(HalfPrecision.Widen(bound), bound.ShapeArray());

    private readonly struct Visitor(Tensor x, Tensor? lower, Tensor? upper) : INumericVisitor<Tensor>
    {
        public Tensor Visit<T>() where T : unmanaged, INumber<T>
        {
            var result = GC.AllocateUninitializedArray<T>(x.Length);
            ReadOnlySpan<T> source = x.Span<T>();
            if (lower is not null)
            {
                TensorPrimitives.Max(source, lower.Span<T>()[0], result);
                source = result;
            }
            if (upper is not null)
            {
                TensorPrimitives.Min(source, upper.Span<T>()[0], result);
                source = result;
            }
            if (lower is null && upper is null)
            {
                source.CopyTo(result);
            }
            return Tensor.Create(x.ElementType, result, x.Shape);
        }
    }
}

using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// An elementwise function of one float (an activation, or arithmetic with a scalar constant) as a
/// C statement on a variable, so it can run on its own or inside a producer's store loop.
/// </summary>
public sealed record ElementOp(string Name, Func<string, string> Expression)
{
    /// <summary>The C statement that replaces <paramref name="variable"/> by the op applied to it.</summary>
    public string Statement(string variable) => $"{variable} = {Expression(variable)};";

    private static string F(float v) => CLiteral.Float(v);

    /// <summary>
    /// The element op of <paramref name="node"/> when it is one: an activation of its single runtime
    /// input, or Add/Sub/Mul/Div/Pow/Max/Min with a one-element constant. Null otherwise.
    /// </summary>
    public static ElementOp? Of(Node node, BoundModel model)
    {
        switch (node.OpType)
        {
            case "Relu": return new("Relu", v => $"{v} > 0.0f ? {v} : 0.0f");
            case "Sigmoid": return new("Sigmoid", v => $"1.0f / (1.0f + expf(-{v}))");
            case "Tanh": return new("Tanh", v => $"tanhf({v})");
            case "Exp": return new("Exp", v => $"expf({v})");
            case "Log": return new("Log", v => $"logf({v})");
            case "Sqrt": return new("Sqrt", v => $"sqrtf({v})");
            case "Abs": return new("Abs", v => $"fabsf({v})");
            case "Neg": return new("Neg", v => $"-{v}");
            case "Floor": return new("Floor", v => $"floorf({v})");
            case "Ceil": return new("Ceil", v => $"ceilf({v})");
            case "Round": return new("Round", v => $"nearbyintf({v})");
            case "Reciprocal": return new("Reciprocal", v => $"1.0f / {v}");
            case "Erf": return new("Erf", v => $"erff({v})");
            case "Softplus": return new("Softplus", v => $"({v} > 0.0f ? {v} + log1pf(expf(-{v})) : log1pf(expf({v})))");
            case "Softsign": return new("Softsign", v => $"{v} / (1.0f + fabsf({v}))");
            case "LeakyRelu":
            {
                float alpha = node.Attribute("alpha")?.AsFloat() ?? 0.01f;
                return new("LeakyRelu", v => $"{v} >= 0.0f ? {v} : {F(alpha)} * {v}");
            }
            case "Elu":
            {
                float alpha = node.Attribute("alpha")?.AsFloat() ?? 1f;
                return new("Elu", v => $"{v} >= 0.0f ? {v} : {F(alpha)} * (expf({v}) - 1.0f)");
            }
            case "Selu":
            {
                float alpha = node.Attribute("alpha")?.AsFloat() ?? 1.67326319217681884765625f;
                float gamma = node.Attribute("gamma")?.AsFloat() ?? 1.05070102214813232421875f;
                return new("Selu", v => $"{v} > 0.0f ? {F(gamma)} * {v} : {F(gamma)} * ({F(alpha)} * expf({v}) - {F(alpha)})");
            }
            case "HardSigmoid":
            {
                float alpha = node.Attribute("alpha")?.AsFloat() ?? 0.2f;
                float beta = node.Attribute("beta")?.AsFloat() ?? 0.5f;
                return new("HardSigmoid", v => $"fmaxf(0.0f, fminf(1.0f, {F(alpha)} * {v} + {F(beta)}))");
            }
            case "Clip":
                return Clip(node, model);
            case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Max" or "Min":
                return WithScalar(node, model);
            default:
                return null;
        }
    }

    private static ElementOp? Clip(Node node, BoundModel model)
    {
        float low = float.NegativeInfinity, high = float.PositiveInfinity;
        if (node.Attribute("min") is AttributeValue min)
        {
            low = min.AsFloat();
        }
        if (node.Attribute("max") is AttributeValue max)
        {
            high = max.AsFloat();
        }
        for (int i = 1; i <= 2; i++)
        {
            if (!node.HasInput(i))
            {
                continue;
            }
            if (model.Constant(node.Inputs[i]) is not { Length: 1 } bound || bound.DataType != DataType.Float32)
            {
                return null;
            }
            if (i == 1)
            {
                low = bound.Span<float>()[0];
            }
            else
            {
                high = bound.Span<float>()[0];
            }
        }
        string lo = CLiteral.Float(low), hi = CLiteral.Float(high);
        return (float.IsNegativeInfinity(low), float.IsPositiveInfinity(high)) switch
        {
            (true, true) => new("Clip", v => v),
            (false, true) => new("Clip", v => $"{v} < {lo} ? {lo} : {v}"),
            (true, false) => new("Clip", v => $"{v} > {hi} ? {hi} : {v}"),
            _ => new("Clip", v => $"{v} < {lo} ? {lo} : ({v} > {hi} ? {hi} : {v})"),
        };
    }

    private static ElementOp? WithScalar(Node node, BoundModel model)
    {
        if (node.Inputs.Length != 2)
        {
            return null;
        }
        int constantSide = model.IsConstant(node.Inputs[1]) ? 1 : model.IsConstant(node.Inputs[0]) ? 0 : -1;
        if (constantSide < 0 || model.Constant(node.Inputs[constantSide]) is not { Length: 1, DataType: DataType.Float32 } constant)
        {
            return null;
        }
        var variable = model.TypeOf(node.Inputs[1 - constantSide]);
        var result = model.TypeOf(node.Outputs[0]);
        if (variable is null || result is null || !variable.Shape.Equals(result.Shape))
        {
            return null;
        }
        string c = CLiteral.Float(constant.Span<float>()[0]);
        bool left = constantSide == 0;
        return node.OpType switch
        {
            "Add" => new("Add", v => left ? $"{c} + {v}" : $"{v} + {c}"),
            "Sub" => new("Sub", v => left ? $"{c} - {v}" : $"{v} - {c}"),
            "Mul" => new("Mul", v => left ? $"{c} * {v}" : $"{v} * {c}"),
            "Div" => new("Div", v => left ? $"{c} / {v}" : $"{v} / {c}"),
            "Pow" => new("Pow", v => left ? $"powf({c}, {v})" : $"powf({v}, {c})"),
            "Max" => new("Max", v => $"fmaxf({v}, {c})"),
            "Min" => new("Min", v => $"fminf({v}, {c})"),
            _ => null,
        };
    }
}

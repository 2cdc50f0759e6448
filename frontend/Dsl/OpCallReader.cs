using Antlr4.Runtime;
using Neurite.Frontend.Dsl.Generated;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>An op call or pipe stage as written: the callee, its arguments, where it stands.</summary>
internal sealed record CallSite(NeuriteParser.NameContext Callee, NeuriteParser.ArgumentsContext? Arguments, IToken At);

/// <summary>
/// Turns a call into the parts of a node: a canonical op checked against its signature (values
/// as inputs, name=value as attributes), a layer helper expanded to its canonical op, or an op of
/// a domain Neurite has no ops for, kept as written for the verifier to report. A literal where
/// an input belongs (<c>Mul(x, 0.5)</c>, <c>reshape(x, [-1, 10])</c>) becomes a constant parameter.
/// </summary>
internal sealed class OpCallReader(ModelBuilder model, AttributeReader attributes, Func<NeuriteParser.NameContext, string?> resolve,
    Func<Tensor, string> addConstant)
{
    private DslProblems Problems => model.Problems;

    public sealed record NodeParts(string OpType, string Domain, List<string> Inputs, Dictionary<string, AttributeValue> Attributes);

    /// <summary>The op, inputs and attributes of one call (or pipe stage); null after reporting what is wrong with it.</summary>
    public NodeParts? Read(CallSite call, string? piped)
    {
        string callee = DslNames.Unquote(call.Callee.GetText());
        var positional = new List<HelperArgument>();
        if (piped is not null)
        {
            positional.Add(new HelperArgument(call.At, piped, null));
        }
        var named = new List<(string Name, IToken Token, NeuriteParser.AttributeValueContext Value)>();
        bool ok = true;
        foreach (var argument in call.Arguments?.argument() ?? [])
        {
            switch (argument)
            {
                case NeuriteParser.ValueArgumentContext value:
                    var resolved = resolve(value.name());
                    ok &= resolved is not null;
                    positional.Add(new HelperArgument(value.Start, resolved ?? "", null));
                    break;
                case NeuriteParser.NamedArgumentContext attribute:
                    named.Add((DslNames.Unquote(attribute.name().GetText()), attribute.name().Start, attribute.attributeValue()));
                    break;
                case NeuriteParser.LiteralArgumentContext literal:
                    var literalValue = attributes.Read(literal.attributeValue(), "argument");
                    ok &= literalValue is not null;
                    positional.Add(new HelperArgument(literal.Start, null, literalValue));
                    break;
            }
        }

        int dot = callee.LastIndexOf('.');
        string domain = dot < 0 ? "" : OpDomains.Normalize(callee[..dot]);
        string opType = dot < 0 ? callee : callee[(dot + 1)..];
        var op = model.Registry.Find(domain, opType);
        bool helper = op is null && dot < 0 && LayerHelpers.IsHelper(callee);
        ok &= Constants(positional, helper ? LayerHelpers.PositionalSettings(callee) : 0, opType);
        if (helper)
        {
            var namedValues = new List<(string, IToken, AttributeValue)>();
            foreach (var (key, token, value) in named)
            {
                if (attributes.Read(value, key) is { } read)
                {
                    namedValues.Add((key, token, read));
                }
                else
                {
                    ok = false;
                }
            }
            var expansion = LayerHelpers.Expand(callee, call.At, positional, namedValues, Problems);
            return ok && expansion is not null ? new NodeParts(expansion.OpType, "", expansion.Inputs, expansion.Attributes) : null;
        }
        if (op is null && dot >= 0 && !model.Registry.KnowsDomain(domain))
        {
            // An op of a domain Neurite has no ops for (QONNX, FINN, ...): kept as written, with
            // its attributes unchecked, so such models still print and read back; the verifier
            // then reports the op at this call, as the ONNX importer does for the same model.
            return Opaque(opType, domain, positional, named, ok);
        }
        if (op is null)
        {
            string message = dot < 0
                ? $"unknown op '{callee}': expected an ai.onnx op or a layer helper{DslProblems.Suggest(callee, model.Registry.All.Where(o => o.Domain.Length == 0).Select(o => o.Name).Concat(LayerHelpers.Names))}"
                : $"unknown op '{opType}' in domain '{OpDomains.Display(domain)}'{DslProblems.Suggest(opType, model.Registry.All.Where(o => o.Domain == domain).Select(o => o.Name))}";
            Problems.Error(call.At, "dsl.op", message);
            return null;
        }

        var inputs = new List<string>();
        foreach (var argument in positional)
        {
            if (argument.Value is null)
            {
                Problems.Error(argument.Token, "dsl.argument",
                    $"input {inputs.Count + 1} of {opType} must be a value name (or _ for none), found a literal; attributes are written name=value");
                ok = false;
                continue;
            }
            inputs.Add(argument.Value);
        }
        var attributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var (key, token, value) in named)
        {
            var spec = op.Signature.FindAttribute(key);
            if (spec is null)
            {
                string takes = op.Signature.Attributes.Length == 0 ? "it takes none"
                    : $"it takes {GeneratorArguments.Join([.. op.Signature.Attributes.Select(a => a.Name).Order(StringComparer.Ordinal)])}";
                Problems.Error(token, "dsl.attribute", $"{opType} has no attribute '{key}'; {takes}{DslProblems.Suggest(key, op.Signature.Attributes.Select(a => a.Name))}");
                ok = false;
                continue;
            }
            if (attributeValues.ContainsKey(key))
            {
                Problems.Error(token, "dsl.attribute", $"attribute '{key}' of {opType} is given twice");
                ok = false;
                continue;
            }
            var read = attributes.Read(value, key);
            var conformed = read is null ? null : attributes.Conform(read, spec, opType, token);
            if (conformed is null)
            {
                ok = false;
                continue;
            }
            attributeValues[key] = conformed;
        }
        return ok ? new NodeParts(opType, domain, inputs, attributeValues) : null;
    }

    /// <summary>
    /// Turns literal inputs into constants: an integer is i64[], a float f32[], a list of them
    /// i64[n] or f32[n], strings str, tensor(T, ...) itself. The first <paramref name="settings"/>
    /// literals stay literals: a helper reads them as settings (the 2 of maxpool(x, 2)).
    /// </summary>
    private bool Constants(List<HelperArgument> positional, int settings, string opType)
    {
        bool ok = true;
        int literals = 0;
        for (int i = 0; i < positional.Count; i++)
        {
            var literal = positional[i].Literal;
            if (literal is null || literals++ < settings)
            {
                continue;
            }
            Tensor? constant = literal.Kind switch
            {
                AttributeKind.Int => Tensor.Create([literal.AsInt()]),
                AttributeKind.Float => Tensor.Create([literal.AsFloat()]),
                AttributeKind.Ints => Tensor.Create(literal.AsInts().ToArray(), literal.AsInts().Length),
                AttributeKind.Floats => Tensor.Create(literal.AsFloats().ToArray(), literal.AsFloats().Length),
                AttributeKind.String => Tensor.CreateStrings([literal.AsString()], []),
                AttributeKind.Strings => Tensor.CreateStrings([.. literal.AsStrings()], [literal.AsStrings().Length]),
                AttributeKind.Tensor => literal.AsTensor(),
                _ => null,
            };
            if (constant is null)
            {
                Problems.Error(positional[i].Token, "dsl.argument",
                    $"input {i + 1} of {opType} must be a value or a constant, found {AttributeReader.Describe(literal.Kind)}");
                ok = false;
                positional[i] = positional[i] with { Value = "", Literal = null };
                continue;
            }
            positional[i] = positional[i] with { Value = addConstant(constant), Literal = null };
        }
        return ok;
    }

    private NodeParts? Opaque(string opType, string domain, List<HelperArgument> positional,
        List<(string Name, IToken Token, NeuriteParser.AttributeValueContext Value)> named, bool ok)
    {
        var inputs = new List<string>();
        foreach (var argument in positional)
        {
            if (argument.Value is null)
            {
                Problems.Error(argument.Token, "dsl.argument",
                    $"input {inputs.Count + 1} of {opType} must be a value name (or _ for none), found a literal; attributes are written name=value");
                ok = false;
                continue;
            }
            inputs.Add(argument.Value);
        }
        var attributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var (key, token, value) in named)
        {
            if (attributeValues.ContainsKey(key))
            {
                Problems.Error(token, "dsl.attribute", $"attribute '{key}' of {opType} is given twice");
                ok = false;
            }
            else if (attributes.Read(value, key) is { } read)
            {
                attributeValues[key] = read;
            }
            else
            {
                ok = false;
            }
        }
        return ok ? new NodeParts(opType, domain, inputs, attributeValues) : null;
    }
}

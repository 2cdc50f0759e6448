using Neurite.Frontend.Dsl.Generated;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// Attribute values as written: <c>1</c> is an int, <c>1.0</c> a float, <c>"same"</c> a string,
/// <c>[1, 2]</c> ints, <c>[1.0, 2]</c> floats, <c>floats[]</c> an empty list of a kind,
/// <c>tensor(T, init)</c>, <c>type(T)</c>, <c>graph (...) -> (...) { }</c>.
/// </summary>
internal sealed class AttributeReader(DslProblems problems, TensorReader tensors, Func<NeuriteParser.GraphValueContext, string, Graph?> buildGraph)
{
    private static readonly Dictionary<string, AttributeKind> EmptyKinds = new(StringComparer.Ordinal)
    {
        ["ints"] = AttributeKind.Ints,
        ["floats"] = AttributeKind.Floats,
        ["strings"] = AttributeKind.Strings,
        ["tensors"] = AttributeKind.Tensors,
        ["graphs"] = AttributeKind.Graphs,
        ["types"] = AttributeKind.Types,
    };

    public AttributeValue? Read(NeuriteParser.AttributeValueContext context, string attributeName)
    {
        switch (context)
        {
            case NeuriteParser.NumberValueContext number:
                return Number(NumberLiteral.Of(number.number()));
            case NeuriteParser.StringValueContext text:
                return AttributeValue.FromString(DslNames.UnquoteString(text.STRING().GetText()));
            case NeuriteParser.TypedEmptyListContext empty:
                string kind = empty.name().GetText();
                if (EmptyKinds.TryGetValue(kind, out var listKind))
                {
                    return Empty(listKind);
                }
                problems.Error(empty, "dsl.attribute", $"expected an empty list written ints[], floats[], strings[], tensors[], graphs[] or types[], found '{kind}[]'");
                return null;
            case NeuriteParser.TensorValueContext tensor:
                var type = DslTypes.ReadConcrete(tensor.type(), problems, $"tensor attribute '{attributeName}'");
                var value = type is null ? null : tensors.Read(tensor.tensorInit(), type, $"tensor attribute '{attributeName}'");
                return value is null ? null : AttributeValue.FromTensor(value);
            case NeuriteParser.TypeValueContext typeValue:
                var irType = DslTypes.Read(typeValue.type(), problems);
                return irType is null ? null : AttributeValue.FromType(irType);
            case NeuriteParser.GraphValueContext graph:
                var subgraph = buildGraph(graph, attributeName);
                return subgraph is null ? null : AttributeValue.FromGraph(subgraph);
            case NeuriteParser.ListValueContext list:
                return List(list, attributeName);
            default:
                return null;
        }
    }

    private AttributeValue? Number(NumberLiteral number)
    {
        if (number.IsInteger)
        {
            if (number.TryInteger(out long value))
            {
                return AttributeValue.FromInt(value);
            }
            problems.Error(number.Token, "dsl.attribute", $"expected an integer from {long.MinValue} to {long.MaxValue}, found {number.Shown}");
            return null;
        }
        return AttributeValue.FromFloat(number.AsFloat());
    }

    private static AttributeValue Empty(AttributeKind kind) => kind switch
    {
        AttributeKind.Floats => AttributeValue.FromFloats([]),
        AttributeKind.Strings => AttributeValue.FromStrings([]),
        AttributeKind.Tensors => AttributeValue.FromTensors([]),
        AttributeKind.Graphs => AttributeValue.FromGraphs([]),
        AttributeKind.Types => AttributeValue.FromTypes([]),
        _ => AttributeValue.FromInts([]),
    };

    private AttributeValue? List(NeuriteParser.ListValueContext list, string attributeName)
    {
        var items = list.attributeValue();
        if (items.Length == 0)
        {
            return AttributeValue.FromInts([]);
        }
        var values = new List<AttributeValue>();
        foreach (var item in items)
        {
            if (item is NeuriteParser.ListValueContext)
            {
                problems.Error(item, "dsl.attribute", $"attribute '{attributeName}' is a list of lists; attributes hold flat lists");
                return null;
            }
            if (Read(item, attributeName) is not { } value)
            {
                return null;
            }
            values.Add(value);
        }
        var kinds = values.Select(v => v.Kind).Distinct().ToList();
        if (kinds.All(k => k is AttributeKind.Int or AttributeKind.Float))
        {
            return kinds.Contains(AttributeKind.Float)
                ? AttributeValue.FromFloats(values.Select(v => v.AsFloat()))
                : AttributeValue.FromInts(values.Select(v => v.AsInt()));
        }
        if (kinds.Count == 1)
        {
            switch (kinds[0])
            {
                case AttributeKind.String:
                    return AttributeValue.FromStrings(values.Select(v => v.AsString()));
                case AttributeKind.Tensor:
                    return AttributeValue.FromTensors(values.Select(v => v.AsTensor()));
                case AttributeKind.Graph:
                    return AttributeValue.FromGraphs(values.Select(v => v.AsGraph()));
                case AttributeKind.Type:
                    return AttributeValue.FromTypes(values.Select(v => v.AsType()));
            }
        }
        problems.Error(list, "dsl.attribute", $"attribute '{attributeName}' mixes {string.Join(" and ", kinds.Select(k => k.ToString().ToLowerInvariant() + "s"))} in one list");
        return null;
    }

    /// <summary>
    /// The value as the op's signature wants it, where the written form is a shorthand for it:
    /// an integer where a float is expected, integers where floats are. Null (after a diagnostic)
    /// when the kinds cannot meet.
    /// </summary>
    public AttributeValue? Conform(AttributeValue value, AttributeSpec spec, string opType, Antlr4.Runtime.IToken at)
    {
        if (value.Kind == spec.Kind)
        {
            return value;
        }
        switch (spec.Kind, value.Kind)
        {
            case (AttributeKind.Float, AttributeKind.Int):
                return AttributeValue.FromFloat(value.AsInt());
            case (AttributeKind.Floats, AttributeKind.Ints):
                return AttributeValue.FromFloats(value.AsInts().Select(v => (float)v));
            case (AttributeKind.Ints, AttributeKind.Int) or (AttributeKind.Floats, AttributeKind.Float) or (AttributeKind.Strings, AttributeKind.String):
                // Kept as written: the verifier reads a single value as a list of one, and printing keeps it so.
                return value;
        }
        problems.Error(at, "dsl.attribute", $"attribute '{spec.Name}' of {opType} must be {Describe(spec.Kind)}, found {Describe(value.Kind)}");
        return null;
    }

    public static string Describe(AttributeKind kind) => kind switch
    {
        AttributeKind.Float => "a float",
        AttributeKind.Int => "an integer",
        AttributeKind.String => "a string",
        AttributeKind.Tensor => "a tensor",
        AttributeKind.Graph => "a graph",
        AttributeKind.Type => "a type",
        AttributeKind.Ints => "a list of integers",
        _ => $"a list of {kind.ToString().ToLowerInvariant()}",
    };
}

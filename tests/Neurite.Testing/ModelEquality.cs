using System.Globalization;
using Neurite.Ir;

namespace Neurite.Testing;

/// <summary>
/// Compares two models field by field (opsets, metadata, every graph, node, attribute,
/// initializer byte and type) and lists each difference, so a failing round trip says where.
/// Type annotations of intermediate values are compared as a set: their order carries no meaning.
/// </summary>
public static class ModelEquality
{
    public static IReadOnlyList<string> Differences(Model expected, Model actual)
    {
        var found = new List<string>();
        Check(found, "opsets", Join(expected.Opsets), Join(actual.Opsets));
        Check(found, "metadata", Describe(expected.Metadata), Describe(actual.Metadata));
        Compare(found, "graph", expected.Graph, actual.Graph);
        return found;
    }

    public static IReadOnlyList<string> Differences(Graph expected, Graph actual)
    {
        var found = new List<string>();
        Compare(found, "graph", expected, actual);
        return found;
    }

    private static string Join<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>> pairs) => string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"));

    private static string Describe(ModelMetadata m) =>
        $"ir {m.IrVersion}, producer '{m.ProducerName}' '{m.ProducerVersion}', domain '{m.Domain}', version {m.ModelVersion}, doc '{m.DocString}', props [{Join(m.Properties)}]";

    private static void Check(List<string> found, string where, string expected, string actual)
    {
        if (expected != actual)
        {
            found.Add($"{where}: expected {expected}, found {actual}");
        }
    }

    private static void Compare(List<string> found, string where, Graph expected, Graph actual)
    {
        where = $"{where} '{expected.Name}'";
        Check(found, $"{where} name", expected.Name, actual.Name);
        Check(found, $"{where} doc", expected.DocString, actual.DocString);
        Check(found, $"{where} inputs", string.Join(", ", expected.Inputs), string.Join(", ", actual.Inputs));
        Check(found, $"{where} outputs", string.Join(", ", expected.Outputs), string.Join(", ", actual.Outputs));
        Check(found, $"{where} initializer names", string.Join(", ", expected.Initializers.Select(i => i.Name)), string.Join(", ", actual.Initializers.Select(i => i.Name)));
        foreach (var (e, a) in expected.Initializers.Zip(actual.Initializers))
        {
            CompareTensor(found, $"{where} initializer '{e.Name}'", e.Value, a.Value);
        }
        Check(found, $"{where} annotations", Annotations(expected), Annotations(actual));
        Check(found, $"{where} node count", expected.Nodes.Length.ToString(CultureInfo.InvariantCulture), actual.Nodes.Length.ToString(CultureInfo.InvariantCulture));
        foreach (var (e, a) in expected.Nodes.Zip(actual.Nodes))
        {
            string node = $"{where} node '{e.Name}'";
            Check(found, $"{node} header", $"{e.Name} {e.Domain} {e.OpType}", $"{a.Name} {a.Domain} {a.OpType}");
            Check(found, $"{node} inputs", string.Join(", ", e.Inputs), string.Join(", ", a.Inputs));
            Check(found, $"{node} outputs", string.Join(", ", e.Outputs), string.Join(", ", a.Outputs));
            Check(found, $"{node} attribute names", string.Join(", ", e.Attributes.Keys), string.Join(", ", a.Attributes.Keys));
            foreach (var (name, value) in e.Attributes)
            {
                if (a.Attributes.TryGetValue(name, out var other))
                {
                    CompareAttribute(found, $"{node} attribute '{name}'", value, other);
                }
            }
        }
    }

    private static string Annotations(Graph graph) =>
        string.Join(", ", graph.ValueInfo.Where(v => v.Type is not null).DistinctBy(v => v.Name).OrderBy(v => v.Name, StringComparer.Ordinal));

    private static void CompareAttribute(List<string> found, string where, AttributeValue expected, AttributeValue actual)
    {
        Check(found, $"{where} kind", expected.Kind.ToString(), actual.Kind.ToString());
        if (expected.Kind != actual.Kind)
        {
            return;
        }
        switch (expected.Kind)
        {
            case AttributeKind.Float:
                Check(found, where, Bits(expected.AsFloat()), Bits(actual.AsFloat()));
                break;
            case AttributeKind.Floats:
                Check(found, where, string.Join(",", expected.AsFloats().Select(Bits)), string.Join(",", actual.AsFloats().Select(Bits)));
                break;
            case AttributeKind.Tensor:
                CompareTensor(found, where, expected.AsTensor(), actual.AsTensor());
                break;
            case AttributeKind.Tensors:
                Check(found, $"{where} count", expected.AsTensors().Length.ToString(CultureInfo.InvariantCulture), actual.AsTensors().Length.ToString(CultureInfo.InvariantCulture));
                foreach (var (e, a) in expected.AsTensors().Zip(actual.AsTensors()))
                {
                    CompareTensor(found, where, e, a);
                }
                break;
            case AttributeKind.Graph:
                Compare(found, where, expected.AsGraph(), actual.AsGraph());
                break;
            case AttributeKind.Graphs:
                Check(found, $"{where} count", expected.AsGraphs().Length.ToString(CultureInfo.InvariantCulture), actual.AsGraphs().Length.ToString(CultureInfo.InvariantCulture));
                foreach (var (e, a) in expected.AsGraphs().Zip(actual.AsGraphs()))
                {
                    Compare(found, where, e, a);
                }
                break;
            case AttributeKind.Type:
                Check(found, where, expected.AsType().ToString(), actual.AsType().ToString());
                break;
            case AttributeKind.Types:
                Check(found, where, string.Join(", ", expected.AsTypes()), string.Join(", ", actual.AsTypes()));
                break;
            default:
                Check(found, where, expected.ToString(), actual.ToString());
                break;
        }
    }

    private static string Bits(float value) => BitConverter.SingleToInt32Bits(value).ToString("X8", CultureInfo.InvariantCulture);

    private static void CompareTensor(List<string> found, string where, Tensor expected, Tensor actual)
    {
        Check(found, $"{where} type", expected.Type.ToString(), actual.Type.ToString());
        if (!expected.Type.Equals(actual.Type))
        {
            return;
        }
        bool same = expected.DataType == DataType.String
            ? expected.Strings.SequenceEqual(actual.Strings)
            : expected.Bytes.SequenceEqual(actual.Bytes);
        if (!same)
        {
            found.Add($"{where}: the values differ");
        }
    }
}

using System.Globalization;
using Antlr4.Runtime;
using Neurite.Frontend.Dsl.Generated;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// Parse tree to <see cref="Model"/>: the model-level statements (opsets, metadata), the main
/// graph (through <see cref="GraphBody"/>), then the verifier, whose findings are placed back at
/// the line and column of the op call that made each node.
/// </summary>
internal sealed class ModelBuilder
{
    /// <summary>The ai.onnx opset of a program that names none (ONNX Runtime 1.31 runs it; docs/dsl.md says so).</summary>
    public const int DefaultOnnxOpset = 21;

    private readonly Dictionary<string, (int Version, IToken At)> opsets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IToken> nodePositions = new(StringComparer.Ordinal);
    private ModelMetadata metadata = ModelMetadata.Empty;
    private readonly List<KeyValuePair<string, string>> properties = [];

    public ModelBuilder(DslProblems problems, string? folder, OpRegistry registry, IReadOnlySet<string> writtenNames)
    {
        Problems = problems;
        Registry = registry;
        WrittenNames = writtenNames;
        Files = new WeightFiles(folder, problems);
        Tensors = new TensorReader(problems, Files);
    }

    public DslProblems Problems { get; }
    public OpRegistry Registry { get; }
    public WeightFiles Files { get; }
    public TensorReader Tensors { get; }

    /// <summary>Every name the program writes anywhere: fresh names for rebound values avoid them all.</summary>
    public IReadOnlySet<string> WrittenNames { get; }

    public void RecordNode(string nodeName, IToken at) => nodePositions.TryAdd(nodeName, at);

    public Model? Build(NeuriteParser.ModelContext context)
    {
        string name = DslNames.Unquote(context.name().GetText());
        var body = new GraphBody(this, parent: null, name);
        var graph = body.Build(context.signature(), context.block(), this);
        if (graph is null || Problems.HasErrors)
        {
            return null;
        }
        var imports = opsets.ToDictionary(p => p.Key, p => p.Value.Version);
        if (imports.Count == 0)
        {
            imports[OpDomains.Onnx] = DefaultOnnxOpset;
            foreach (string domain in UsedDomains(graph).Where(d => d.Length > 0))
            {
                imports[domain] = 1;
            }
        }
        return new Model(graph, imports, metadata with { Properties = [.. properties] });
    }

    /// <summary>Runs the verifier and places each finding at the op call of its node.</summary>
    public IEnumerable<Diagnostic> Verify(Model model) =>
        GraphVerifier.Verify(model, Registry).Select(d =>
        {
            var location = d.Location;
            if (location?.Node is { } node && nodePositions.TryGetValue(node, out var at))
            {
                return d with { Location = Problems.At(at) with { Node = location.Node, OpType = location.OpType } };
            }
            return d with { Location = (location ?? new SourceLocation()) with { File = Problems.FileName } };
        });

    private static IEnumerable<string> UsedDomains(Graph graph) =>
        graph.Nodes.SelectMany(n => n.Subgraphs.SelectMany(UsedDomains).Append(n.Domain)).Distinct();

    public void Opset(NeuriteParser.OpsetStatementContext context)
    {
        string domain = OpDomains.Normalize(DslNames.Unquote(context.name().GetText()));
        var versionToken = context.INT().Symbol;
        if (!int.TryParse(versionToken.Text, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            Problems.Error(versionToken, "dsl.opset", $"expected an opset version from 1 to {int.MaxValue}, found {versionToken.Text}");
            return;
        }
        if (opsets.TryGetValue(domain, out var earlier))
        {
            Problems.Error(context, "dsl.opset", $"domain '{OpDomains.Display(domain)}' is imported twice (first at line {earlier.At.Line})");
            return;
        }
        opsets[domain] = (version, context.Start);
    }

    public void Meta(NeuriteParser.MetaStatementContext context)
    {
        var literal = context.literal();
        string? text = literal.STRING() is { } s ? DslNames.UnquoteString(s.GetText()) : null;
        var number = literal.number() is { } n ? NumberLiteral.Of(n) : null;
        if (context.STRING() is { } key)
        {
            if (text is null)
            {
                Problems.Error(literal, "dsl.meta", "a metadata property holds a string: meta \"key\" = \"value\"");
                return;
            }
            properties.Add(new(DslNames.UnquoteString(key.GetText()), text));
            return;
        }
        string field = DslNames.Unquote(context.name().GetText());
        if (field is not ("ir_version" or "model_version" or "producer_name" or "producer_version" or "domain" or "doc"))
        {
            Problems.Error(context.name(), "dsl.meta",
                $"unknown metadata field '{field}': expected ir_version, producer_name, producer_version, domain, model_version, doc or a quoted property key");
            return;
        }
        bool integerField = field is "ir_version" or "model_version";
        long integer = 0;
        if (integerField ? number is null || !number.TryInteger(out integer) : text is null)
        {
            Problems.Error(literal, "dsl.meta", $"meta {field} must be {(integerField ? "an integer" : "a string")}, found {literal.GetText()}");
            return;
        }
        switch (field)
        {
            case "ir_version":
                metadata = metadata with { IrVersion = integer };
                break;
            case "model_version":
                metadata = metadata with { ModelVersion = integer };
                break;
            case "producer_name":
                metadata = metadata with { ProducerName = text! };
                break;
            case "producer_version":
                metadata = metadata with { ProducerVersion = text! };
                break;
            case "domain":
                metadata = metadata with { Domain = text! };
                break;
            default:
                metadata = metadata with { DocString = text! };
                break;
        }
    }
}

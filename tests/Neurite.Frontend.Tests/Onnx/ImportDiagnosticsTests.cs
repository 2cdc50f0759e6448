using CsCheck;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Onnx;

/// <summary>Bad ONNX input gets a diagnostic that says what and where, never an unhandled exception.</summary>
public sealed class ImportDiagnosticsTests
{
    private static string RealModel => SharedData.Path("models", "zoo", "fmnist_mlp.onnx");

    [Fact]
    public void MissingFileIsReported()
    {
        var error = Assert.Single(OnnxImporter.Import("/nonexistent/model.onnx").Diagnostics);
        Assert.Equal("onnx.file", error.Code);
        Assert.Contains("does not exist", error.Message);
    }

    /// <summary>A link's own length is that of the path it holds; the model it names must be read whole.</summary>
    [Fact]
    public void AModelReachedThroughASymbolicLinkLoadsAsTheFileItNames()
    {
        using var folder = new TemporaryFolder();
        string link = folder.File("linked.onnx");
        File.CreateSymbolicLink(link, RealModel);
        Assert.Empty(ModelEquality.Differences(OnnxImporter.Load(RealModel), OnnxImporter.Load(link)));
    }

    [Fact]
    public void EmptyFileIsReported()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("empty.onnx"), []);
        var error = Assert.Single(OnnxImporter.Import(folder.File("empty.onnx")).Diagnostics);
        Assert.Equal("onnx.parse", error.Code);
        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void TruncatedModelIsReported(double fraction)
    {
        using var folder = new TemporaryFolder();
        var bytes = File.ReadAllBytes(RealModel);
        File.WriteAllBytes(folder.File("cut.onnx"), bytes[..(int)(bytes.Length * fraction)]);
        var result = OnnxImporter.Import(folder.File("cut.onnx"));
        Assert.Null(result.Model);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("onnx.parse", error.Code);
        Assert.Contains("truncated or corrupt", error.Message);
        Assert.Equal(folder.File("cut.onnx"), error.Location?.File);
    }

    [Fact]
    public void TextFileIsReported()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("notes.onnx"), "this is not a model, just some text\n");
        var result = OnnxImporter.Import(folder.File("notes.onnx"));
        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Code == "onnx.parse");
    }

    [Fact]
    public void UnknownOpNamesNodeOpDomainAndOpset()
    {
        using var folder = new TemporaryFolder();
        ProtoBuilders.Save(ProtoBuilders.SingleNode("Frobnicate", opset: 17, nodeName: "frob1"), folder.File("m.onnx"));
        var error = Assert.Single(OnnxImporter.Import(folder.File("m.onnx")).Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("op.unknown", error.Code);
        Assert.Equal("frob1", error.Location?.Node);
        Assert.Equal("Frobnicate", error.Location?.OpType);
        Assert.Contains("'Frobnicate'", error.Message);
        Assert.Contains("'ai.onnx'", error.Message);
        Assert.Contains("opset 17", error.Message);
        var thrown = Assert.Throws<NeuriteException>(() => OnnxImporter.Load(folder.File("m.onnx")));
        Assert.Contains("frob1", thrown.Message);
    }

    [Fact]
    public void UnknownDomainIsReportedAsSuch()
    {
        using var folder = new TemporaryFolder();
        ProtoBuilders.Save(ProtoBuilders.SingleNode("Frobnicate", domain: "com.example.custom", nodeName: "q0"), folder.File("m.onnx"));
        var error = Assert.Single(OnnxImporter.Import(folder.File("m.onnx")).Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("op.unknown-domain", error.Code);
        Assert.Contains("'com.example.custom'", error.Message);
        Assert.Contains("opset 1", error.Message);
        Assert.Equal("q0", error.Location?.Node);
    }

    [Fact]
    public void LegacyQonnxDomainsReadAsQonnxAndAMissingImportIsAWarning()
    {
        // FINN's models write "finn.custom_op.general" and import no opset for it.
        var proto = ProtoBuilders.SingleNode("BipolarQuant", domain: "finn.custom_op.general", nodeName: "sign");
        proto.Graph.Node[0].Input.Add("x");
        proto.OpsetImport.Remove(proto.OpsetImport.Single(o => o.Domain == "finn.custom_op.general"));
        using var folder = new TemporaryFolder();
        ProtoBuilders.Save(proto, folder.File("m.onnx"));
        var result = OnnxImporter.Import(folder.File("m.onnx"));
        Assert.Equal("onnx.opset-implicit", Assert.Single(result.Diagnostics).Code);
        Assert.Equal(OpDomains.Qonnx, Assert.Single(result.Model!.Graph.Nodes).Domain);
        Assert.Equal(1, result.Model.OpsetOf(OpDomains.Qonnx));
    }

    [Fact]
    public void AttributeDeclaringATensorItDoesNotHoldIsReported()
    {
        using var folder = new TemporaryFolder();
        var model = ProtoBuilders.SingleNode("Constant", nodeName: "c");
        model.Graph.Node[0].Input.Clear();
        model.Graph.Node[0].Attribute.Add(new Neurite.Frontend.Onnx.Proto.AttributeProto
        {
            Name = "value",
            Type = Neurite.Frontend.Onnx.Proto.AttributeProto.Types.AttributeType.Tensor,
        });
        ProtoBuilders.Save(model, folder.File("m.onnx"));
        var error = Assert.Single(OnnxImporter.Import(folder.File("m.onnx")).Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("onnx.attribute", error.Code);
        Assert.Equal("attribute 'value': is declared to hold a tensor but holds none", error.Message);
        Assert.Equal("c", error.Location?.Node);
    }

    [Fact]
    public void RepeatedAttributeIsReported()
    {
        using var folder = new TemporaryFolder();
        var model = ProtoBuilders.SingleNode("LeakyRelu", nodeName: "leaky");
        for (int i = 0; i < 2; i++)
        {
            model.Graph.Node[0].Attribute.Add(new Neurite.Frontend.Onnx.Proto.AttributeProto
            {
                Name = "alpha",
                Type = Neurite.Frontend.Onnx.Proto.AttributeProto.Types.AttributeType.Float,
                F = 0.1f * (i + 1),
            });
        }
        ProtoBuilders.Save(model, folder.File("m.onnx"));
        var error = Assert.Single(OnnxImporter.Import(folder.File("m.onnx")).Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("attribute 'alpha' appears more than once", error.Message);
    }

    [Fact]
    public void ImportOfMangledBytesNeverThrows()
    {
        // Truncations and byte flips of a real model: whatever the damage, the result is a
        // model or diagnostics, never an exception from inside the importer.
        var original = File.ReadAllBytes(RealModel);
        Gen.Select(Gen.Int[1, original.Length - 1], Gen.Int[0, original.Length - 1], Gen.Byte, Gen.Bool)
            .Sample((cut, at, value, truncate) =>
            {
                var bytes = truncate ? original[..cut] : (byte[])original.Clone();
                if (!truncate)
                {
                    bytes[at] = value;
                }
                var result = Record.Exception(() => OnnxImporter.Load(bytes));
                return result is null or NeuriteException;
            }, iter: 300, threads: 1);
    }
}

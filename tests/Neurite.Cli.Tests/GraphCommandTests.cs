using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

public sealed class GraphCommandTests
{
    private static string ResNet8 => SharedData.Path("models", "zoo", "fmnist_resnet8.onnx");

    [Fact]
    public void DrawsSvgPngAndDot()
    {
        using var folder = new TemporaryFolder();
        Assert.Equal(0, NeuriteProcess.Run("graph", ResNet8, "-o", folder.File("r8.svg")).ExitCode);
        Assert.Contains("<svg", File.ReadAllText(folder.File("r8.svg")));
        Assert.Contains("BatchNormalization", File.ReadAllText(folder.File("r8.svg")));
        Assert.Equal(0, NeuriteProcess.Run("graph", ResNet8, "-o", folder.File("r8.png")).ExitCode);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(folder.File("r8.png"))[..4]);
        var optimised = NeuriteProcess.Run("graph", ResNet8, "-o", folder.File("r8.dot"), "--passes", "default");
        Assert.Equal(0, optimised.ExitCode);
        string dot = File.ReadAllText(folder.File("r8.dot"));
        Assert.DoesNotContain("BatchNormalization", dot);
        Assert.Contains("neurite.FusedConv", dot);
        Assert.Contains("activation=\\\"Relu\\\"", dot);
    }

    [Fact]
    public void AnUnknownPictureFormatIsADiagnostic()
    {
        using var folder = new TemporaryFolder();
        var result = NeuriteProcess.Run("graph", ResNet8, "-o", folder.File("r8.jpg"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("draw to .svg, .png or .dot", result.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void WithoutGraphvizSvgIsADiagnosticAndDotStillWorks()
    {
        using var folder = new TemporaryFolder();
        var noGraphviz = new Dictionary<string, string?> { ["PATH"] = folder.Path };
        var result = NeuriteProcess.RunWith(noGraphviz, "graph", ResNet8, "-o", folder.File("r8.svg"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs Graphviz's 'dot' program, which is not on PATH", result.Stderr);
        Assert.False(result.ShowsStackTrace);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        Assert.Equal(0, NeuriteProcess.RunWith(noGraphviz, "graph", ResNet8, "-o", folder.File("r8.dot")).ExitCode);
    }
}

using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Backends.Tests.Targets;

/// <summary>Opening artifact folders: a missing or damaged manifest is a diagnostic that names the file and the field.</summary>
public sealed class ArtifactTests
{
    [Fact]
    public void AFolderWithoutManifestIsNoArtifact()
    {
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<NeuriteException>(() => TargetRegistry.Default.Load(folder.Path));
        Assert.Equal("artifact.manifest", error.Diagnostics.Single().Code);
        Assert.Contains("has no manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFolderIsDiagnosed()
    {
        var error = Assert.Throws<NeuriteException>(() => TargetRegistry.Default.Load("/nonexistent/neurite/artifact"));
        Assert.Equal("artifact.missing", error.Diagnostics.Single().Code);
    }

    [Fact]
    public void ACorruptManifestIsDiagnosed()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("manifest.json"), "{ \"format\": \"neurite-artifact/1\", ");
        var error = Assert.Throws<NeuriteException>(() => Artifact.Open(folder.Path));
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryWrongFieldIsReported()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("manifest.json"), """
            { "format": "neurite-artifact/1", "target": 7, "options": { "dims": { "N": -1 }, "settings": {} },
              "source": { "name": "m.onnx", "sha256": "00" }, "passes": [], "inputs": [ { "name": "x", "type": "f32", "shape": [1, "a"] } ],
              "outputs": [], "intermediates": [], "files": [ { "path": "../escape.c", "sha256": "00" } ], "metrics": {} }
            """);
        var error = Assert.Throws<NeuriteException>(() => Artifact.Open(folder.Path));
        var messages = error.Diagnostics.Select(d => d.Message).ToList();
        Assert.Contains(messages, m => m.Contains("field 'target'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("field 'options.dims.N'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("field 'inputs[0].shape'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'../escape.c'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownTargetIsDiagnosed()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("manifest.json"), """
            { "format": "neurite-artifact/1", "target": "quantum", "options": { "dims": {}, "settings": {} },
              "source": { "name": "m.onnx", "sha256": "00" }, "passes": [], "inputs": [], "outputs": [], "intermediates": [], "files": [], "metrics": {} }
            """);
        var error = Assert.Throws<NeuriteException>(() => TargetRegistry.Default.Load(folder.Path));
        Assert.Equal("artifact.target", error.Diagnostics.Single().Code);
        Assert.Contains("quantum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestTextRoundTrips()
    {
        var manifest = new ArtifactManifest("cpu", TargetOptions.Default.WithDimension("N", 4).WithSetting("cflags", "-O2"),
            new ArtifactProvenance("m.onnx", "ab", ["fold-constants"]),
            [new ManifestTensor("x", "f32", [4, 3])], [new ManifestTensor("y", "f32", [4])], [],
            [new ManifestFile("model.c", "cd")], System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, long> { ["macs"] = 12 }));
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("manifest.json"), ManifestJson.Write(manifest));
        var read = ManifestJson.Read(folder.File("manifest.json"));
        Assert.Equal(ManifestJson.Write(manifest), ManifestJson.Write(read));
    }
}

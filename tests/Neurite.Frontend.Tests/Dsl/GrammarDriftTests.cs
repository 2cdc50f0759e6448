using System.Security.Cryptography;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>
/// The committed parser (frontend/Dsl/Generated) is what scripts/generate-parser.sh makes from
/// frontend/Dsl/Neurite.g4: the script records the sha256 of the grammar and of every generated
/// file, and this test recomputes them. Editing the grammar without regenerating, or editing
/// generated code by hand, fails here.
/// </summary>
public sealed class GrammarDriftTests
{
    private static string DslFolder => Path.Combine(SharedData.RepositoryRoot, "frontend", "Dsl");

    private static Dictionary<string, string> Recorded() =>
        File.ReadAllLines(Path.Combine(DslFolder, "Generated", "GRAMMAR.sha256"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0]);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void GeneratedParserWasMadeFromTheCurrentGrammar()
    {
        var recorded = Recorded();
        Assert.True(recorded.TryGetValue("Neurite.g4", out string? grammar), "GRAMMAR.sha256 records no grammar hash");
        Assert.True(grammar == Sha256(Path.Combine(DslFolder, "Neurite.g4")),
            "frontend/Dsl/Neurite.g4 changed since the parser was generated: run scripts/generate-parser.sh and commit Generated/");
    }

    [Fact]
    public void GeneratedFilesAreUntouched()
    {
        var recorded = Recorded();
        var generated = Directory.GetFiles(Path.Combine(DslFolder, "Generated"), "*.cs").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(recorded.Keys.Where(k => k.EndsWith(".cs", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList(), generated);
        Assert.Contains("NeuriteParser.cs", generated);
        foreach (string file in generated)
        {
            Assert.True(recorded[file] == Sha256(Path.Combine(DslFolder, "Generated", file)),
                $"Generated/{file} differs from what generate-parser.sh wrote: regenerate it instead of editing it");
        }
    }
}

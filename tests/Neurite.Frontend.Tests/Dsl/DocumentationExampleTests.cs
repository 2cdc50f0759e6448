using System.Text.RegularExpressions;
using Neurite.Frontend.Dsl;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>
/// The complete programs in docs/dsl.md (code blocks holding a model) read without a single
/// diagnostic, so the reference cannot drift from the language. Weight files resolve against
/// samples/lenet5, where the reference's LeNet-5 example lives.
/// </summary>
public sealed class DocumentationExampleTests
{
    [Fact]
    public void EveryProgramInTheReferenceReads()
    {
        string reference = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "docs", "dsl.md"));
        var blocks = CodeBlocks(reference);
        var programs = blocks.Where(b => Regex.IsMatch(b, @"^\s*(#[^\n]*\n\s*)*model ", RegexOptions.Singleline)).ToList();
        Assert.True(programs.Count >= 2, $"found {programs.Count} programs in docs/dsl.md");
        string folder = Path.Combine(SharedData.RepositoryRoot, "samples", "lenet5");
        foreach (string program in programs)
        {
            // A block may hold several models: each is read on its own.
            foreach (string model in Regex.Split(program, @"\n(?=model )").Where(p => p.Contains("model ", StringComparison.Ordinal)))
            {
                var result = DslReader.Parse(model, "docs.nrt", folder);
                Assert.True(result.Diagnostics.Count == 0, $"{string.Join("\n", result.Diagnostics)}\n{model}");
            }
        }
    }

    /// <summary>The untagged fenced blocks (```), read line by line so tagged ones (```sh) keep their fences paired.</summary>
    private static List<string> CodeBlocks(string markdown)
    {
        var blocks = new List<string>();
        System.Text.StringBuilder? current = null;
        bool untagged = false;
        foreach (string line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (current is null)
                {
                    current = new System.Text.StringBuilder();
                    untagged = line.Trim() == "```";
                }
                else
                {
                    if (untagged)
                    {
                        blocks.Add(current.ToString());
                    }
                    current = null;
                }
                continue;
            }
            current?.Append(line).Append('\n');
        }
        return blocks;
    }
}

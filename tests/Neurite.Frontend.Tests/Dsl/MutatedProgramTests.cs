using Neurite.Frontend.Dsl;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>
/// Bad input gets diagnostics, never an exception: the samples, mutated at random (characters
/// cut, tokens inserted and replaced), are read; every outcome is a model or a list of
/// diagnostics with a line and column.
/// </summary>
public sealed class MutatedProgramTests
{
    private static readonly string[] Pieces =
    [
        "(", ")", ",", "=", "|>", "[", "]", "<", ">", "@", "_", "`", "\"", "-", "1", "1.5", "x", "graph () -> () {", "}", "{", ":",
        "f32", "param", "params", "model", "type", "tensor(", "#", "\n", "relu", "Conv", "acme.Foo", "nan", "inf", "?", "*", "meta", "opset", "doc",
    ];

    [Fact]
    public void MutatedSamplesGiveDiagnosticsNeverExceptions()
    {
        var random = new Random(4);
        int rejected = 0, runs = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "samples"), "*.nrt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            for (int i = 0; i < 150; i++)
            {
                string mutated = Mutate(text, random);
                runs++;
                var result = DslReader.Parse(mutated, "mutated.nrt", Path.GetDirectoryName(file));
                if (result.HasErrors)
                {
                    rejected++;
                    Assert.All(result.Diagnostics.Where(d => d.Severity == Severity.Error && d.Location?.Node is null && d.Code.StartsWith("dsl.", StringComparison.Ordinal)),
                        d => Assert.True(d.Location!.Line > 0, $"{d} has no position\n{mutated}"));
                }
                else
                {
                    Assert.NotNull(result.Model);
                    Assert.NotEmpty(DslPrinter.Print(result.Model, "m.npz").Text);
                }
            }
        }
        // Most mutations break something; the test means little if they do not.
        Assert.InRange(rejected, runs / 2, runs);
    }

    private static string Mutate(string text, Random random)
    {
        for (int m = random.Next(1, 8); m > 0; m--)
        {
            int at = random.Next(text.Length);
            text = random.Next(3) switch
            {
                0 => text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at)),
                1 => text.Insert(at, Pieces[random.Next(Pieces.Length)]),
                _ => text.Remove(at, 1).Insert(at, Pieces[random.Next(Pieces.Length)]),
            };
        }
        return text;
    }
}

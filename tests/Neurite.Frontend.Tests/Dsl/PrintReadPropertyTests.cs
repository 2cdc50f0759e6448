using CsCheck;
using Neurite.Frontend.Dsl;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>
/// The printer is the IR's text form: for randomly generated models, reading back what was
/// printed (text and side archive) gives the same model, field by field and bit by bit.
/// </summary>
public sealed class PrintReadPropertyTests
{
    [Fact]
    public void PrintedModelsReadBackIdentical()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var model = new RandomModels(seed).Next();
            using var folder = new TemporaryFolder();
            string path = folder.File("model.nrt");
            var document = DslPrinter.Save(model, path, new DslPrintOptions { InlineElementLimit = 8 });
            var reread = DslReader.Import(path, new DslReadOptions { Verify = false });
            Assert.False(reread.HasErrors, $"seed {seed}:\n{string.Join("\n", reread.Diagnostics)}\n{document.Text}");
            var differences = ModelEquality.Differences(model, reread.Model!);
            Assert.True(differences.Count == 0, $"seed {seed}:\n{string.Join("\n", differences)}\n{document.Text}");
            // Printing is deterministic: the re-read model prints to the same text.
            Assert.Equal(document.Text, DslPrinter.Print(reread.Model!, "model.npz", new DslPrintOptions { InlineElementLimit = 8 }).Text);
        }, iter: 300, threads: 1);
    }
}

using Antlr4.Runtime;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>The diagnostics of one DSL file, each placed at a token's line and column.</summary>
internal sealed class DslProblems(string fileName)
{
    public string FileName { get; } = fileName;

    public List<Diagnostic> All { get; } = [];

    public bool HasErrors => All.Any(d => d.Severity == Severity.Error);

    public SourceLocation At(IToken token) => new(FileName, token.Line, token.Column + 1);

    public void Error(IToken at, string code, string message) => All.Add(Diagnostic.Error(code, message, At(at)));

    public void Error(ParserRuleContext at, string code, string message) => Error(at.Start, code, message);

    /// <summary>" (did you mean 'Relu'?)" when a known word is one or two edits away from <paramref name="word"/>.</summary>
    public static string Suggest(string word, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = EditDistance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Up to two edits for longer words, one for short ones, and never a rewrite of the whole word.
        int allowed = Math.Min(2, Math.Max(1, word.Length / 2));
        return best is not null && bestDistance <= allowed && bestDistance < word.Length ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) from one word to the other.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(d[i - 1, j - 1] + cost, Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}

using System.Globalization;
using System.Text;
using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>What one pass did in a pipeline run: time, memory, and the graph's size before and after.</summary>
public sealed record PassRun(
    int Index,
    string Name,
    TimeSpan Elapsed,
    long AllocatedBytes,
    int NodesBefore,
    int NodesAfter,
    bool Changed,
    string? RequiredBy = null);

/// <summary>A whole pipeline run: every pass in the order it ran, and what passes reported.</summary>
public sealed record PipelineReport(IReadOnlyList<PassRun> Passes, IReadOnlyList<Diagnostic> Diagnostics)
{
    public TimeSpan Total => TimeSpan.FromTicks(Passes.Sum(p => p.Elapsed.Ticks));

    public long TotalAllocatedBytes => Passes.Sum(p => p.AllocatedBytes);

    /// <summary>The per-pass timing table the CLI prints: aligned columns, invariant culture.</summary>
    public string FormatTable()
    {
        var rows = new List<string[]> { new[] { "#", "pass", "time ms", "allocated MB", "nodes", "changed" } };
        foreach (var p in Passes)
        {
            string name = p.RequiredBy is null ? p.Name : $"{p.Name} (for {p.RequiredBy})";
            rows.Add([
                p.Index.ToString(CultureInfo.InvariantCulture), name,
                p.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture),
                (p.AllocatedBytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture),
                $"{p.NodesBefore} -> {p.NodesAfter}", p.Changed ? "yes" : "no",
            ]);
        }
        rows.Add(["", "total", Total.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture),
            (TotalAllocatedBytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture), "", ""]);
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                bool numeric = c is 0 or 2 or 3;
                text.Append(numeric ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
                text.Append(c + 1 < row.Length ? "  " : "");
            }
            text.Append('\n');
        }
        return string.Join('\n', text.ToString().Split('\n').Select(line => line.TrimEnd()));
    }
}

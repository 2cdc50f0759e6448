using System.ComponentModel;
using System.Diagnostics;
using Neurite.Frontend;
using Neurite.Frontend.Graphviz;
using Neurite.Ir;

namespace Neurite;

/// <summary>
/// Draws a model's graph: <c>.dot</c> is written directly (<see cref="DotWriter"/>), <c>.svg</c> and
/// <c>.png</c> are rendered by Graphviz's <c>dot</c> program. The file appears complete or not at all.
/// </summary>
public static class GraphPicture
{
    public static void Save(Model model, string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        string format = extension switch
        {
            ".dot" or ".gv" => "dot",
            ".svg" => "svg",
            ".png" => "png",
            _ => throw new NeuriteException("graph.format", $"'{Path.GetFileName(path)}': draw to .svg, .png or .dot, not '{(extension.Length == 0 ? "(no extension)" : extension)}'"),
        };
        string dot = DotWriter.Write(model);
        using var files = new StagedFiles();
        files.Write(path, temporary =>
        {
            if (format == "dot")
            {
                File.WriteAllText(temporary, dot);
            }
            else
            {
                Render(dot, format, temporary);
            }
        });
        files.Commit();
    }

    private static void Render(string dot, string format, string output)
    {
        var start = new ProcessStartInfo("dot", ["-T" + format, "-o", output])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("dot did not start");
        }
        catch (Win32Exception)
        {
            throw new NeuriteException("graph.no-graphviz",
                $"drawing .{format} needs Graphviz's 'dot' program, which is not on PATH; install Graphviz (Debian: apt-get install graphviz) or write a .dot file");
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new NeuriteException("graph.render", $"Graphviz 'dot' failed (exit code {process.ExitCode}): {errors.Result.Trim()}");
            }
        }
    }
}

using System.Globalization;
using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Where IR dumps go: files are written to a temporary folder beside the target and moved into
/// place when the pipeline ends, so a reader never sees a folder half-written. A previous dump
/// (recognised by its <c>pipeline.txt</c>) is replaced; any other non-empty folder is refused.
/// </summary>
internal sealed class DumpFolder : IDisposable
{
    public const string ReportFile = "pipeline.txt";

    private readonly string target;
    private readonly string staging;
    private readonly IrDumpFormat format;
    private bool finished;

    public DumpFolder(string directory, IrDumpFormat format)
    {
        target = Path.GetFullPath(directory);
        this.format = format;
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, ReportFile)))
        {
            throw new NeuriteException(Diagnostic.Error("dump.folder-not-empty",
                $"'{target}' is not empty and not an earlier IR dump (it has no {ReportFile}); name an empty or new folder for --dump-ir"));
        }
        string parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
    }

    public void Write(int index, string passName, Model model)
    {
        string file = string.Create(CultureInfo.InvariantCulture, $"{index:D2}-{passName}{format.Extension}");
        format.WriteFile(model, Path.Combine(staging, file));
    }

    public void Complete(PipelineReport report) => Finish(report.FormatTable());

    /// <summary>A failing pipeline still leaves a complete folder: the dumps up to the failure and the diagnostics.</summary>
    public void Fail(NeuriteException error, PipelineReport report) =>
        Finish(report.FormatTable() + "\nfailed:\n" + string.Join("\n", error.Diagnostics) + "\n");

    private void Finish(string report)
    {
        File.WriteAllText(Path.Combine(staging, ReportFile), report);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
        Directory.Move(staging, target);
        finished = true;
    }

    public void Dispose()
    {
        if (!finished && Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}

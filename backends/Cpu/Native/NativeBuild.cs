using System.ComponentModel;
using System.Diagnostics;
using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>
/// Compiles an artifact's C into a shared library with the compiler and flags its manifest
/// records. Libraries are cached under the temp folder by a hash of the sources, compiler and
/// flags, so loading the same artifact twice compiles once, and the artifact folder is never
/// written (its files stay what the manifest lists).
/// </summary>
public static class NativeBuild
{
    public static string CacheFolder => Path.Combine(Path.GetTempPath(), "neurite-cpu-cache");

    public static string SharedLibrary(Artifact artifact)
    {
        string cc = artifact.Manifest.Options.Setting("cc") ?? CpuTarget.DefaultCompiler;
        string flags = artifact.Manifest.Options.Setting("cflags") ?? CpuTarget.DefaultFlags;
        string key = ContentHash.Of(string.Join("\n", ContentHash.OfFile(artifact.PathOf("model.c")), ContentHash.OfFile(artifact.PathOf("model.h")), cc, flags));
        string folder = Path.Combine(CacheFolder, key[..32]);
        string library = Path.Combine(folder, OperatingSystem.IsWindows() ? "model.dll" : OperatingSystem.IsMacOS() ? "libmodel.dylib" : "libmodel.so");
        if (File.Exists(library))
        {
            return library;
        }
        Directory.CreateDirectory(folder);
        // Compile to a private name, then rename: a concurrent loader sees the whole library or none.
        string partial = Path.Combine(folder, $"partial-{Environment.ProcessId}-{Guid.NewGuid():N}.so");
        try
        {
            var arguments = SplitFlags(flags).Concat(["-shared", "-fPIC", "-o", partial, artifact.PathOf("model.c"), "-lm"]).ToList();
            var (exit, messages) = Run(cc, arguments, artifact.Folder.FullName);
            if (exit != 0)
            {
                throw new NeuriteException("cpu.compile", $"{cc} failed (exit code {exit}) on '{artifact.PathOf("model.c")}':\n{messages.Trim()}");
            }
            File.Move(partial, library, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
        return library;
    }

    /// <summary>Splits a flag string on whitespace (flags with spaces inside are not supported).</summary>
    public static IEnumerable<string> SplitFlags(string flags) => flags.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs the C compiler; a compiler that is not installed is a diagnostic saying which package to install.</summary>
    public static (int ExitCode, string Messages) Run(string compiler, IEnumerable<string> arguments, string workingFolder)
    {
        var start = new ProcessStartInfo(compiler)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingFolder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (Win32Exception e)
        {
            throw new NeuriteException("cpu.compiler-missing",
                $"the C compiler '{compiler}' could not be started ({e.Message}); install one (Debian: apt-get install gcc) or choose it with the 'cc' setting");
        }
    }
}

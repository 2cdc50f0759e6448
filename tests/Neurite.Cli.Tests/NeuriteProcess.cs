using System.Diagnostics;

namespace Neurite.Cli.Tests;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when the output shows a .NET stack trace, which users must never see.</summary>
    public bool ShowsStackTrace => Stderr.Contains("   at ", StringComparison.Ordinal) || Stdout.Contains("   at Neurite", StringComparison.Ordinal);
}

/// <summary>Runs the built `neurite` command (Neurite.Cli.dll beside the tests) as a separate process.</summary>
public static class NeuriteProcess
{
    public static ProcessResult Run(params string[] arguments) => RunWith(new Dictionary<string, string?>(), arguments);

    /// <summary>Runs with some environment variables set (or removed, with null), e.g. a PATH without Graphviz.</summary>
    public static ProcessResult RunWith(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Neurite.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("NEURITE_DEBUG");
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"neurite {string.Join(" ", arguments)} did not finish in 2 minutes");
        }
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

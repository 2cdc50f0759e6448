using System.CommandLine;
using Neurite.Frontend.Dsl;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>
/// <c>neurite print MODEL [-o FILE.nrt]</c>: the model as a Neurite program (the IR's text form),
/// on stdout, or written to FILE.nrt with its large tensors in FILE.npz beside it.
/// </summary>
internal static class PrintCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "The model to print (.onnx or .nrt)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the program here (FILE.nrt, with large tensors in FILE.npz beside it)." };
        var command = new Command("print", "Print a model in the Neurite language.") { model, output };
        command.SetAction(parsed => CommandGuard.Run(() => Print(parsed.GetValue(model)!, parsed.GetValue(output))));
        return command;
    }

    private static int Print(FileInfo file, FileInfo? target)
    {
        if (target is not null && !target.Name.EndsWith(DslReader.Extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new NeuriteException("print.format", $"'{target.Name}': print writes Neurite programs; name the output *{DslReader.Extension}");
        }
        var loaded = NeuriteModel.Load(file.FullName);
        if (target is null)
        {
            var document = loaded.Print(Path.GetFileNameWithoutExtension(file.Name) + ".npz");
            Console.Write(document.Text);
            if (document.SideArrays.Count > 0)
            {
                Console.Error.WriteLine($"note: {document.SideArrays.Count} large tensors are in '{document.SideFile}', which is not written to stdout; print with -o FILE{DslReader.Extension} to write them");
            }
            return CommandGuard.Success;
        }
        var saved = loaded.SaveProgram(target.FullName);
        string side = saved.SideArrays.Count > 0 ? $" and {saved.SideArrays.Count} tensors to {Path.Combine(target.DirectoryName!, saved.SideFile)}" : "";
        Console.WriteLine($"wrote {target.FullName} ({loaded.Graph.Nodes.Length} nodes){side}");
        return CommandGuard.Success;
    }
}

using System.CommandLine;
using Neurite.Cli;

var root = new RootCommand("Neurite: a model compiler for neuromorphic, FPGA and CPU/GPU targets.")
{
    InspectCommand.Create(),
    RunCommand.Create(),
    ExportCommand.Create(),
    PrintCommand.Create(),
    CompileCommand.Create(),
    SimulateCommand.Create(),
    OptimizeCommand.Create(),
    GraphCommand.Create(),
    QuantizeCommand.Create(),
};
return CommandGuard.Invoke(root, args);

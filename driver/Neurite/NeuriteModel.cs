using Neurite.Frontend.Dsl;
using Neurite.Backends;
using Neurite.Frontend.Onnx;
using Neurite.Ir;

namespace Neurite;

/// <summary>
/// A model loaded into Neurite: the entry point of the embeddable API.
/// <code>
///   var model = NeuriteModel.Load("lenet.onnx");
///   Console.WriteLine(model.Inspect().TotalMacs);
///   Tensor logits = model.Run(image);
///   model.Export("lenet-roundtrip.onnx");
///   model.Compile("lenet-c", "cpu");                        // C for CPUs in lenet-c/
///   using var native = NeuriteModel.LoadArtifact("lenet-c");  // runs the emitted files
///   var calibration = SampleData.FromFiles(model.Model, ["calib-images-idx3-ubyte.gz"], new PixelPreprocessing(1 / 255.0));
///   model.Quantize(calibration).Save("lenet-int8.onnx");      // QDQ ONNX
/// </code>
/// Loading verifies the model; every problem surfaces as a <see cref="NeuriteException"/> carrying
/// all diagnostics. A loaded model can run on many threads at once.
/// </summary>
public sealed class NeuriteModel
{
    private readonly Lazy<Interpreter> interpreter;

    private NeuriteModel(Model model, string? sourcePath)
    {
        Model = model;
        SourcePath = sourcePath;
        interpreter = new Lazy<Interpreter>(() => new Interpreter(model));
    }

    /// <summary>The model in Neurite's IR.</summary>
    public Model Model { get; }

    public string? SourcePath { get; }

    public Graph Graph => Model.Graph;

    /// <summary>Loads an ONNX model (<c>.onnx</c>) or a Neurite program (<c>.nrt</c>) and verifies it.</summary>
    public static NeuriteModel Load(string path) => new(ModelFiles.Load(path), Path.GetFullPath(path));

    /// <summary>Wraps a model built in code (for example with <see cref="GraphBuilder"/>); verifies it.</summary>
    public static NeuriteModel FromModel(Model model)
    {
        NeuriteException.ThrowIfErrors(GraphVerifier.Verify(model));
        return new NeuriteModel(model, null);
    }

    public ModelSummary Inspect() => ModelSummary.Of(Model);

    /// <summary>Runs the reference interpreter; inputs and outputs by name.</summary>
    public IReadOnlyDictionary<string, IValue> Run(IReadOnlyDictionary<string, IValue> inputs) => interpreter.Value.Run(inputs);

    /// <summary>Runs the reference interpreter on tensors given by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Run(params (string Name, Tensor Value)[] inputs) =>
        interpreter.Value.Run(inputs.ToDictionary(p => p.Name, p => (IValue)p.Value))
            .ToDictionary(p => p.Key, p => p.Value as Tensor ?? throw new InvalidOperationException($"output '{p.Key}' is a {p.Value.Type}, not a tensor"));

    /// <summary>Runs a model with one input and one output.</summary>
    public Tensor Run(Tensor input) => interpreter.Value.Run(input);

    /// <summary>
    /// Compiles the model for a target ("cpu") into <paramref name="outputFolder"/>; symbolic
    /// dimensions take their sizes from <paramref name="options"/> (default 1). The folder appears
    /// complete or not at all; every problem the target finds is a <see cref="NeuriteException"/>,
    /// every warning (of the quantiser, of the target) goes into <paramref name="warnings"/> when given.
    /// </summary>
    public Artifact Compile(string outputFolder, string target = "cpu", TargetOptions? options = null, QuantizationRequest? quantization = null,
        ICollection<Diagnostic>? warnings = null) =>
        Compilation.Compile(this, TargetRegistry.Default.Find(target), options ?? TargetOptions.Default, outputFolder, quantization, warnings);

    /// <summary>
    /// Post-training quantisation, calibrated on <paramref name="calibration"/>: to an integer-only
    /// graph (<see cref="IntegerQuantizedModel"/>) for integer formats, to a fixed-point graph
    /// (<see cref="FixedPointQuantizedModel"/>) when the settings' activations are fixed point. With
    /// <paramref name="evaluation"/> (labelled samples the calibration never sees) the report holds
    /// accuracies before and after, and for integers an accuracy budget in the settings keeps the
    /// most sensitive layers at a higher precision. Save the result as ONNX or in the Neurite language.
    /// </summary>
    public QuantizedModel Quantize(SampleData calibration, QuantizeSettings? settings = null, EvaluationData? evaluation = null) =>
        ModelQuantizer.Quantize(this, calibration, settings ?? new QuantizeSettings(), evaluation);

    /// <summary>Loads an artifact folder written by <see cref="Compile"/> into the simulator of its target.</summary>
    public static ISimulator LoadArtifact(string folder) => TargetRegistry.Default.Load(folder);

    /// <summary>Writes the model as ONNX; the file appears complete or not at all.</summary>
    public void Export(string path) => OnnxExporter.Save(Model, path);

    /// <summary>
    /// The model as a Neurite program. Large tensors are referenced in <paramref name="sideFile"/>
    /// and returned with the text, not written; <see cref="SaveProgram"/> writes both.
    /// </summary>
    public DslDocument Print(string sideFile) => DslPrinter.Print(Model, sideFile);

    /// <summary>Writes the model as a Neurite program (.nrt) with its large tensors in the .npz beside it.</summary>
    public DslDocument SaveProgram(string path) => DslPrinter.Save(Model, path);
}

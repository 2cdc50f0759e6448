#:project ../../driver/Neurite/Neurite.csproj
// Builds samples/bars/bars.onnx and images.npy through Neurite's API: a hand-designed network
// that tells images of horizontal bars (class 0) from vertical bars (class 1). Its weights mean
// something: two 3x3 line detectors, a max over the image, a linear read-out.
// Run from the repository root:  dotnet run samples/bars/make-bars.cs
using Neurite;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;

string folder = Path.Combine("samples", "bars");

float[] detectors =
[
    // Horizontal line: a bright row between dark rows.
    -1, -1, -1,
     2,  2,  2,
    -1, -1, -1,
    // Vertical line: a bright column between dark columns.
    -1, 2, -1,
    -1, 2, -1,
    -1, 2, -1,
];

var b = new GraphBuilder("bars");
var image = b.Input("image", TypeSyntax.ParseType("f32[N, 1, 8, 8]"));
var lines = b.Node("Conv", [image, b.Initializer("line_kernels", Tensor.Create(detectors, 2, 1, 3, 3)),
        b.Initializer("detector_bias", Tensor.Create(new float[2], 2))],
    new() { ["kernel_shape"] = new[] { 3, 3 }, ["pads"] = new[] { 1, 1, 1, 1 } }, nodeName: "line_detectors");
var evidence = b.Node("GlobalMaxPool", [b.Node("Relu", [lines], nodeName: "rectify")], nodeName: "strongest_line");
var flat = b.Node("Flatten", [evidence], nodeName: "flatten");
// Logit of "horizontal" = horizontal evidence - vertical evidence, and the reverse.
var logits = b.Node("Gemm", [flat, b.Initializer("readout_weights", Tensor.Create(new float[] { 1, -1, -1, 1 }, 2, 2)),
        b.Initializer("readout_bias", Tensor.Create(new float[2], 2))],
    new() { ["transB"] = 1 }, nodeName: "readout");
b.Output(b.Node("Softmax", [logits], new() { ["axis"] = 1 }, nodeName: "probabilities", outputName: "probabilities"),
    TypeSyntax.ParseType("f32[N, 2]"));

var model = NeuriteModel.FromModel(new Model(b.Build(), new Dictionary<string, int> { [""] = 17 },
    ModelMetadata.Empty with { ProducerName = "neurite", DocString = "Horizontal (class 0) or vertical (class 1) bars in an 8x8 image." }));
model.Export(Path.Combine(folder, "bars.onnx"));

// Four test images: two bars across, two bars down, one line across, one line down.
var pixels = new float[4 * 64];
for (int i = 0; i < 8; i++)
{
    pixels[0 * 64 + 1 * 8 + i] = 1;
    pixels[0 * 64 + 5 * 8 + i] = 1;
    pixels[1 * 64 + i * 8 + 2] = 1;
    pixels[1 * 64 + i * 8 + 6] = 1;
    pixels[2 * 64 + 3 * 8 + i] = 1;
    pixels[3 * 64 + i * 8 + 4] = 1;
}
Npy.Write(Tensor.Create(pixels, 4, 1, 8, 8), Path.Combine(folder, "images.npy"));
Npy.Write(Tensor.Create(new long[] { 0, 1, 0, 1 }, 4), Path.Combine(folder, "labels.npy"));

// Calibration images for `neurite quantize`, none of them a test image: one line across at each
// row but 3, one line down at each column but 4 (the test images' single lines), at full and at
// half brightness, so calibration sees the range of responses without seeing what is scored.
var calibration = new List<float>();
foreach (float brightness in new[] { 1f, 0.5f })
{
    foreach (int row in Enumerable.Range(0, 8).Where(r => r != 3))
    {
        var one = new float[64];
        for (int i = 0; i < 8; i++)
        {
            one[row * 8 + i] = brightness;
        }
        calibration.AddRange(one);
    }
    foreach (int column in Enumerable.Range(0, 8).Where(c => c != 4))
    {
        var one = new float[64];
        for (int i = 0; i < 8; i++)
        {
            one[i * 8 + column] = brightness;
        }
        calibration.AddRange(one);
    }
}
Npy.Write(Tensor.Create(calibration.ToArray(), calibration.Count / 64, 1, 8, 8), Path.Combine(folder, "calibration.npy"));
Console.WriteLine($"wrote {folder}/bars.onnx, images.npy, labels.npy, calibration.npy");

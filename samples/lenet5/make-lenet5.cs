#:project ../../driver/Neurite/Neurite.csproj
// Writes samples/lenet5/lenet5.npz, the weights lenet5.nrt reads: He-initialised (normal with
// standard deviation sqrt(2 / fan-in)) from seed 5, biases zero. Untrained on purpose: the
// sample shows how a program takes its weights from a side file.
// Run from the repository root:  dotnet run samples/lenet5/make-lenet5.cs
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;

var random = new Random(5);
(string Name, int[] Shape)[] layers =
[
    ("c1", [6, 1, 5, 5]), ("c2", [16, 6, 5, 5]), ("f1", [120, 400]), ("f2", [84, 120]), ("f3", [10, 84]),
];
var arrays = new List<KeyValuePair<string, Tensor>>();
foreach (var (name, shape) in layers)
{
    int fanIn = shape.Skip(1).Aggregate(1, (a, b) => a * b);
    double std = Math.Sqrt(2.0 / fanIn);
    var weights = new float[shape.Aggregate(1, (a, b) => a * b)];
    for (int i = 0; i < weights.Length; i++)
    {
        // Box-Muller: a standard normal draw from two uniform ones.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        weights[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
    arrays.Add(new($"{name}.w", Tensor.Create(weights, shape)));
    arrays.Add(new($"{name}.b", Tensor.Create(new float[shape[0]], shape[0])));
}
Npz.Write(arrays, Path.Combine("samples", "lenet5", "lenet5.npz"));
Console.WriteLine($"wrote samples/lenet5/lenet5.npz ({arrays.Count} arrays)");

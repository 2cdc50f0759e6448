using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Models.Tests;

/// <summary>
/// The interpreter reproduces, to 0.1 percentage point, the accuracy ONNX Runtime 1.31 measures
/// for every data-set model of MODELS.json on the whole test set.
/// </summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    private const double AllowedDifference = 0.001;

    public static TheoryData<string> Models() => [.. ModelCatalog.DataSetModels.Select(m => m.Path)];

    [Theory]
    [MemberData(nameof(Models))]
    public void AccuracyEqualsOnnxRuntimeFigure(string relativePath)
    {
        var entry = ModelCatalog.DataSetModels.Single(m => m.Path == relativePath);
        var model = OnnxImporter.Load(entry.FullPath);
        var data = DataSet.ByName(entry.DataSet);
        double accuracy = ModelAccuracy.Score(model, entry, data, 0, data.Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{relativePath}: {accuracy:P2} on {data.Count} {data.Name} images (ONNX Runtime: {entry.OrtAccuracyAll:P2})"));
        Assert.True(Math.Abs(accuracy - entry.OrtAccuracyAll) <= AllowedDifference + 1e-9,
            $"accuracy {accuracy:P2} differs from ONNX Runtime's {entry.OrtAccuracyAll:P2} by more than 0.1 pp");
    }
}

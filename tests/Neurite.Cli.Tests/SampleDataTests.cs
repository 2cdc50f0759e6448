using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

/// <summary>
/// Calibration and evaluation samples as the driver reads them (<see cref="SampleData"/>,
/// <see cref="EvaluationData"/>): every file form gives the inputs the test helpers make from
/// the same images with MODELS.json's preprocessing.
/// </summary>
public sealed class SampleDataTests
{
    private static readonly CatalogModel LeNetEntry = ZooQuantization.Entry("zoo/fmnist_lenet5.onnx");

    [Fact]
    public void IdxPixelsScaledAreTheCatalogsInputs()
    {
        var model = OnnxImporter.Load(QuantizeCommandTests.LeNet);
        var data = SampleData.FromFiles(model, [QuantizeCommandTests.TestImages], new PixelPreprocessing(1 / 255.0));
        Assert.Equal(10_000, data.Count);
        Assert.Equal([1, 28, 28], data.SampleShape);
        Assert.Null(data.FixedBatch);
        var expected = Preprocessing.Batch(LeNetEntry, DataSet.FashionMnist, 300, 7, [1, 1, 28, 28]);
        Assert.Equal(expected.ToArray<float>(), data.Batch(300, 7).ToArray<float>());
        Assert.Equal([7, 1, 28, 28], data.Batch(300, 7).Shape.ToArray());
    }

    [Fact]
    public void AFolderOfOneSampleFilesAStackAndSeveralFilesAreTheSameSamples()
    {
        using var folder = new TemporaryFolder();
        var model = OnnxImporter.Load(QuantizeCommandTests.LeNet);
        var images = Preprocessing.Batch(LeNetEntry, DataSet.FashionMnist, 0, 5, [1, 1, 28, 28]);
        Directory.CreateDirectory(folder.File("one-per-file"));
        for (int n = 0; n < 5; n++)
        {
            // 28×28, without the channel axis: reshaped to the model's [1, 28, 28] per sample.
            var one = Tensor.Create(images.ToArray<float>().AsSpan(n * 784, 784).ToArray(), 28, 28);
            if (n % 2 == 0)
            {
                Npy.Write(one, folder.File($"one-per-file/{n:D3}.npy"));
            }
            else
            {
                OnnxValueFiles.WriteTensor(one, "input", folder.File($"one-per-file/{n:D3}.pb"));
            }
        }
        Npy.Write(images, folder.File("stack.npy"));
        Npy.Write(Tensor.Create(images.ToArray<float>().AsSpan(0, 2 * 784).ToArray(), 2, 1, 28, 28), folder.File("first-two.npy"));
        Npy.Write(Tensor.Create(images.ToArray<float>().AsSpan(2 * 784).ToArray(), 3, 784), folder.File("last-three.npy"));

        var fromFolder = SampleData.FromFiles(model, [folder.File("one-per-file")]);
        var fromStack = SampleData.FromFiles(model, [folder.File("stack.npy")]);
        var fromTwoFiles = SampleData.FromFiles(model, [folder.File("first-two.npy"), folder.File("last-three.npy")]);
        foreach (var data in new[] { fromFolder, fromStack, fromTwoFiles })
        {
            Assert.Equal(5, data.Count);
            Assert.Equal(images.ToArray<float>(), data.Batch(0, 5).ToArray<float>());
            Assert.Null(data.Preprocessing);
        }
        Assert.Equal(images.ToArray<float>().AsSpan(784, 3 * 784).ToArray(), fromTwoFiles.Batch(1, 3).ToArray<float>());
    }

    [Fact]
    public void TheModelsMetadataSaysHowPixelsBecomeInputs()
    {
        using var folder = new TemporaryFolder();
        var original = OnnxImporter.Load(QuantizeCommandTests.LeNet);
        var described = new Model(original.Graph, original.Opsets, original.Metadata with
        {
            Properties = [new(PixelPreprocessing.ScaleKey, "1/255"), new(PixelPreprocessing.MeanKey, "0.5"), new(PixelPreprocessing.StdKey, "0.25")],
        });
        OnnxExporter.Save(described, folder.File("lenet-described.onnx"));
        var reloaded = NeuriteModel.Load(folder.File("lenet-described.onnx"));

        var data = SampleData.FromFiles(reloaded.Model, [QuantizeCommandTests.TestImages]);
        Assert.Equal(new PixelPreprocessing(1 / 255.0, [0.5], [0.25]).ToString(), data.Preprocessing!.ToString());
        var normalised = LeNetEntry with { Mean = [0.5], Std = [0.25] };
        Assert.Equal(Preprocessing.Batch(normalised, DataSet.FashionMnist, 0, 3, [1, 1, 28, 28]).ToArray<float>(), data.Batch(0, 3).ToArray<float>());
        // Arguments win over the metadata.
        var given = SampleData.FromFiles(reloaded.Model, [QuantizeCommandTests.TestImages], new PixelPreprocessing(1 / 255.0));
        Assert.Equal(Preprocessing.Batch(LeNetEntry, DataSet.FashionMnist, 0, 3, [1, 1, 28, 28]).ToArray<float>(), given.Batch(0, 3).ToArray<float>());
    }

    [Fact]
    public void AModelThatFixesItsBatchIsFedOneSampleAtATime()
    {
        // The VNN-COMP MLP takes [1, 784, 1]: 28×28 images reshape to it, one per run.
        var model = OnnxImporter.Load(SharedData.Path("models", "vnncomp2021", "mnistfc", "mnist-net_256x2.onnx"));
        var data = SampleData.FromFiles(model, [SharedData.Path("datasets", "mnist", "t10k-images-idx3-ubyte.gz")], new PixelPreprocessing(1 / 255.0)).Take(3);
        Assert.Equal(1, data.FixedBatch);
        Assert.Equal([(0, 1), (1, 1), (2, 1)], data.Batches(100));
        Assert.Equal([1, 784, 1], data.Batch(2, 1).Shape.ToArray());
    }

    [Fact]
    public void EvaluationSamplesKeepTheirLabels()
    {
        var model = OnnxImporter.Load(QuantizeCommandTests.LeNet);
        var samples = SampleData.FromFiles(model, [QuantizeCommandTests.TestImages], new PixelPreprocessing(1 / 255.0));
        var labels = EvaluationData.ReadLabels(QuantizeCommandTests.TestLabels);
        var evaluation = new EvaluationData(samples, labels).Take(50);
        Assert.Equal(50, evaluation.Samples.Count);
        Assert.Equal(DataSet.FashionMnist.Labels.Take(50).Select(l => (long)l), evaluation.Labels);
        double accuracy = ModelQuantizer.Accuracy(model, evaluation, batch: 16);
        Assert.Equal(ClassificationAccuracy.Score(model, LeNetEntry, DataSet.FashionMnist, 0, 50), accuracy);
    }

    [Fact]
    public void PerChannelNormalisationMustMatchTheChannels()
    {
        var model = OnnxImporter.Load(QuantizeCommandTests.LeNet);
        var e = Assert.Throws<NeuriteException>(() => SampleData.FromFiles(model, [QuantizeCommandTests.TestImages], new PixelPreprocessing(1 / 255.0, [0.4, 0.5, 0.6], [1, 1, 1])));
        Assert.Equal("3 mean values for a model input of 1 channel (samples of [1, 28, 28]): give one value or one per channel", e.Diagnostics.Single().Message);
    }
}

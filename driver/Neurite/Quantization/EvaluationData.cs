using System.Globalization;
using Neurite.Ir;

namespace Neurite;

/// <summary>
/// Labelled samples to score a model on: top-1 accuracy, the argmax of the first output's last
/// axis against the label. Kept apart from calibration data on purpose: a model is never scored
/// on the samples it was calibrated on.
/// </summary>
public sealed class EvaluationData
{
    public EvaluationData(SampleData samples, IReadOnlyList<long> labels)
    {
        if (labels.Count != samples.Count)
        {
            throw new NeuriteException("labels.count", string.Create(CultureInfo.InvariantCulture,
                $"{labels.Count:N0} labels for {samples.Count:N0} evaluation samples ({samples.Source}); give one label per sample"));
        }
        Samples = samples;
        Labels = labels;
    }

    public SampleData Samples { get; }

    public IReadOnlyList<long> Labels { get; }

    /// <summary>Reads labels (.npy, .pb or IDX): integers, one per sample, as a vector or a column.</summary>
    public static long[] ReadLabels(string path)
    {
        var files = DataFiles.Read(path, "--labels");
        if (files.Count != 1)
        {
            throw new NeuriteException("labels.file", $"--labels '{path}' is a folder of {files.Count} files; give the one labels file");
        }
        var (file, tensor) = files[0];
        if (!tensor.DataType.IsInteger() || tensor.Rank > 2 || (tensor.Rank == 2 && tensor.Dim(1) != 1))
        {
            throw new NeuriteException("labels.type", $"--labels '{Path.GetFileName(file)}' holds {tensor.Type}; labels are integers, one per sample (a vector)");
        }
        return tensor.ToInt64Array();
    }

    /// <summary>The first <paramref name="count"/> samples and their labels.</summary>
    public EvaluationData Take(int count)
    {
        var samples = Samples.Take(count);
        return samples == Samples ? this : new EvaluationData(samples, Labels.Take(samples.Count).ToList());
    }
}

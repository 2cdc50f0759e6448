using System.Globalization;
using Neurite.Ir;
using Neurite.Ir.Kernels;

namespace Neurite;

/// <summary>
/// Samples for calibration or evaluation, shaped for a model's one input: files are read once
/// (raw, as stored), and batches are made on demand, so only one batch is ever a float tensor.
/// A file holds one sample or a stack of them along its first axis; each sample is reshaped to
/// the input's shape without its batch axis (so 28×28 images feed a [N, 1, 28, 28] input: the
/// data must already be in the model's layout). Raw integer pixels go through
/// <see cref="PixelPreprocessing"/>; floats are taken as they are.
/// </summary>
public sealed class SampleData
{
    private readonly IReadOnlyList<Chunk> chunks;

    private SampleData(string inputName, int[] sampleShape, int? fixedBatch, IReadOnlyList<Chunk> chunks, int count, PixelPreprocessing? preprocessing, string source)
    {
        InputName = inputName;
        SampleShape = sampleShape;
        FixedBatch = fixedBatch;
        this.chunks = chunks;
        Count = count;
        Preprocessing = preprocessing;
        Source = source;
    }

    public string InputName { get; }

    /// <summary>One sample's shape: the model input's shape without the batch axis.</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The batch size the model's input fixes, or null when its batch axis is symbolic.</summary>
    public int? FixedBatch { get; }

    public int Count { get; }

    /// <summary>The preprocessing applied to raw integer data; null for float data.</summary>
    public PixelPreprocessing? Preprocessing { get; }

    /// <summary>The files the samples come from, for reports.</summary>
    public string Source { get; }

    /// <summary>
    /// Reads <paramref name="paths"/> (files or folders, in order) as samples for <paramref name="model"/>'s input.
    /// <paramref name="preprocessing"/> (else the model's metadata) turns raw integer pixels into inputs;
    /// <paramref name="option"/> names the argument in diagnostics ("--calib", "--eval").
    /// </summary>
    public static SampleData FromFiles(Model model, IReadOnlyList<string> paths, PixelPreprocessing? preprocessing = null, string option = "--calib")
    {
        if (paths.Count == 0)
        {
            throw new NeuriteException("data.missing", $"{option}: no data given");
        }
        var files = paths.SelectMany(p => DataFiles.Read(p, option)).ToList();
        return Create(model, files, preprocessing, option, string.Join(", ", paths.Select(Path.GetFileName)));
    }

    /// <summary>Samples from a tensor in memory (one sample, or a stack along the first axis).</summary>
    public static SampleData FromTensor(Model model, Tensor samples, PixelPreprocessing? preprocessing = null) =>
        Create(model, [("tensor", samples)], preprocessing, "samples", $"a {samples.Type} tensor");

    /// <summary>The first <paramref name="count"/> samples (all when there are fewer).</summary>
    public SampleData Take(int count)
    {
        if (count <= 0)
        {
            throw new NeuriteException("data.count", $"the sample count must be positive, not {count}");
        }
        return count >= Count ? this : new SampleData(InputName, [.. SampleShape], FixedBatch, chunks, count, Preprocessing, Source);
    }

    /// <summary>Consecutive ranges of at most <paramref name="size"/> samples (exactly the model's batch when it fixes one).</summary>
    public IReadOnlyList<(int First, int Count)> Batches(int size)
    {
        if (FixedBatch is int fixedSize)
        {
            if (Count % fixedSize != 0)
            {
                throw new NeuriteException("data.batch", $"the model's input '{InputName}' takes batches of exactly {fixedSize} samples; {Count} samples are not a whole number of them");
            }
            size = fixedSize;
        }
        if (size <= 0)
        {
            throw new NeuriteException("data.batch", $"the batch size must be positive, not {size}");
        }
        return Enumerable.Range(0, (Count + size - 1) / size).Select(b => (b * size, Math.Min(size, Count - b * size))).ToList();
    }

    /// <summary>Samples [first, first + count) as the model's input: float32 [count, ...<see cref="SampleShape"/>].</summary>
    public Tensor Batch(int first, int count)
    {
        if (first < 0 || count <= 0 || first + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"samples [{first}, {first + count}) of {Count}");
        }
        int perSample = Tensor.ElementCountOf([.. SampleShape]);
        int channels = SampleShape.Count > 1 ? SampleShape[0] : 1;
        int perChannel = perSample / Math.Max(channels, 1);
        var values = new float[count * perSample];
        for (int n = 0; n < count; n++)
        {
            var (chunk, index) = Locate(first + n);
            var target = values.AsSpan(n * perSample, perSample);
            if (chunk.Floats is { } floats)
            {
                floats.AsSpan(index * perSample, perSample).CopyTo(target);
                continue;
            }
            for (int j = 0; j < perSample; j++)
            {
                target[j] = Preprocessing!.Apply(chunk.Raw.GetDouble(index * perSample + j), j / perChannel);
            }
        }
        return Tensor.Create(values, [count, .. SampleShape]);
    }

    private (Chunk Chunk, int Index) Locate(int sample)
    {
        foreach (var chunk in chunks)
        {
            if (sample < chunk.First + chunk.Samples)
            {
                return (chunk, sample - chunk.First);
            }
        }
        throw new ArgumentOutOfRangeException(nameof(sample));
    }

    private static SampleData Create(Model model, IReadOnlyList<(string File, Tensor Tensor)> files, PixelPreprocessing? preprocessing, string option, string source)
    {
        var (input, sampleShape, fixedBatch) = InputOf(model);
        int perSample = Tensor.ElementCountOf(sampleShape);
        var chunks = new List<Chunk>();
        int total = 0;
        bool integers = false;
        foreach (var (file, tensor) in files)
        {
            string name = Path.GetFileName(file);
            bool isInteger = tensor.DataType.IsInteger();
            if (!isInteger && !tensor.DataType.IsFloatingPoint())
            {
                throw new NeuriteException("data.type", $"{option} '{name}' holds {tensor.ElementType} values; samples are numbers (raw integer pixels or model-ready floats)");
            }
            int samples = SamplesIn(tensor, perSample);
            if (samples < 0)
            {
                throw new NeuriteException("data.shape", string.Create(CultureInfo.InvariantCulture,
                    $"{option} '{name}' holds {tensor.Type} ({tensor.Length:N0} values), which is neither one sample nor a stack of samples for the model's input '{input.Name}' ({Ir.Shape.Of([.. sampleShape])} per sample, {perSample:N0} values)"));
            }
            if (chunks.Count > 0 && integers != isInteger)
            {
                throw new NeuriteException("data.type", $"{option}: '{name}' holds {tensor.ElementType} values, the files before it another kind; give raw pixels or floats, not both");
            }
            integers = isInteger;
            chunks.Add(new Chunk(tensor, isInteger ? null : TensorConvert.ToFloat32(tensor).ToArray<float>(), total, samples));
            total += samples;
        }
        PixelPreprocessing? applied = null;
        if (integers)
        {
            applied = preprocessing ?? PixelPreprocessing.FromMetadata(model) ?? throw new NeuriteException("data.preprocessing",
                $"{option} '{Path.GetFileName(files[0].File)}' holds raw {files[0].Tensor.ElementType} pixels: say how they become the model's input with --scale (e.g. --scale 1/255) and, if the model was trained on normalised inputs, --mean and --std; or record them in the model's metadata ({PixelPreprocessing.ScaleKey}, {PixelPreprocessing.MeanKey}, {PixelPreprocessing.StdKey})");
            applied.CheckChannels(sampleShape);
        }
        else if (preprocessing is not null)
        {
            throw new NeuriteException("data.preprocessing",
                $"--scale, --mean and --std apply to raw integer pixels; {option} '{Path.GetFileName(files[0].File)}' holds {files[0].Tensor.ElementType} values, which are fed to the model as they are");
        }
        return new SampleData(input.Name, sampleShape, fixedBatch, chunks, total, applied, source);
    }

    /// <summary>One sample, or a stack of samples along the first axis; -1 when the tensor is neither.</summary>
    private static int SamplesIn(Tensor tensor, int perSample)
    {
        if (tensor.Length == 0 || tensor.Length % perSample != 0)
        {
            return -1;
        }
        int samples = tensor.Length / perSample;
        return samples == 1 || (tensor.Rank > 0 && tensor.Dim(0) == samples) ? samples : -1;
    }

    private static (ValueInfo Input, int[] SampleShape, int? FixedBatch) InputOf(Model model)
    {
        var inputs = model.Graph.Inputs;
        if (inputs.Length != 1)
        {
            throw new NeuriteException("quantize.input", $"calibration data feeds a model with one input; this one has {inputs.Length} ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))})");
        }
        var input = inputs[0];
        if (input.Type is not TensorType { Shape.IsRankKnown: true } type || type.Shape.Rank < 1 || type.ElementType.Storage != DataType.Float32)
        {
            throw new NeuriteException("quantize.input", $"the model's input '{input.Name}' is {input.Type?.ToString() ?? "of unknown type"}; calibration feeds a float32 tensor of known rank with a batch axis first");
        }
        var dims = type.Shape.Dims;
        if (dims.Skip(1).Any(d => !d.IsKnown))
        {
            throw new NeuriteException("quantize.input", $"the model's input '{input.Name}' is {type}: every axis but the first (the batch) must have a known size to shape samples for it");
        }
        return (input, dims.Skip(1).Select(d => checked((int)d.Value)).ToArray(), dims[0].IsKnown ? checked((int)dims[0].Value) : null);
    }

    /// <param name="Floats">The values as float32 for float data (taken as they are); null for raw integers, read through the preprocessing.</param>
    private sealed record Chunk(Tensor Raw, float[]? Floats, int First, int Samples);
}

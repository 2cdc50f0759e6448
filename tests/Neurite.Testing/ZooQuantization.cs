using System.Collections.Concurrent;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;

namespace Neurite.Testing;

/// <summary>
/// The zoo's Fashion-MNIST models, optimised with the <c>onnx</c> pipeline and calibrated once per
/// test run on the 6,000-image calibration slice. The float model handed back is the optimised one
/// (same accuracy as the file: the optimisation tests check that).
/// </summary>
public static class ZooQuantization
{
    public const int CalibrationImages = 6000;

    private static readonly ConcurrentDictionary<string, Lazy<(Model Model, Calibrator Calibrator)>> Calibrated = new();

    public static CatalogModel Entry(string path) => ModelCatalog.DataSetModels.Single(m => m.Path == path);

    public static (Model Float, QuantizationResult Quantised) Quantise(string path, CalibrationMethod method, QuantizationOptions options)
    {
        var (model, calibrator) = Calibration(path);
        lock (calibrator)
        {
            return (model, PostTrainingQuantizer.Quantize(model, calibrator.Ranges(options.Calibration(method)), options));
        }
    }

    /// <summary>The optimised float model and its calibrator, made once per run; lock the calibrator while reading its ranges.</summary>
    public static (Model Float, Calibrator Calibrator) Calibration(string path) =>
        Calibrated.GetOrAdd(path, p => new Lazy<(Model, Calibrator)>(() => Calibrate(p))).Value;

    /// <summary>The optimised float model and its calibration tables, for quantising it several ways (per-layer precision, mixed precision).</summary>
    public static (Model Float, CalibrationTables Tables) Tables(string path, CalibrationMethod method)
    {
        var (model, calibrator) = Calibrated.GetOrAdd(path, p => new Lazy<(Model, Calibrator)>(() => Calibrate(p))).Value;
        return (model, new CalibrationTables(calibrator, method));
    }

    private static (Model, Calibrator) Calibrate(string path)
    {
        var entry = Entry(path);
        // BatchNormalization is folded into the convolutions first (the onnx pipeline: standard ops
        // only), as every quantiser does, so the quantised weights are the folded ones.
        var model = Optimizer.Run(OnnxImporter.Load(entry.FullPath), "onnx").Model;
        var calibrator = new Calibrator(model);
        var input = model.Graph.Inputs.Single();
        var dims = ((TensorType)input.Type!).Shape.Dims.Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        for (int first = 0; first < CalibrationImages; first += 200)
        {
            calibrator.Observe(new Dictionary<string, IValue> { [input.Name] = Preprocessing.Batch(entry, DataSet.FashionMnistCalibration, first, 200, dims) });
        }
        return (model, calibrator);
    }
}

using System.Text;
using System.Text.Json;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Passes.Quantize.Report;

namespace Neurite;

/// <summary>
/// The quantisation report as JSON (<c>neurite quantize --report R.json</c>), for scripts and
/// CI: the scheme ("integer" or "fixed-point") first, so a reader knows which fields follow, then
/// options, passes, the quantiser's warnings, per-layer rows, sizes, accuracies and (integer)
/// mixed-precision decisions. Accuracies are fractions, drops percentage points; an SQNR that is
/// not finite (an exact layer) is written as null, JSON having no infinity.
/// </summary>
public static class QuantizationReportJson
{
    public static string Write(QuantizedModel quantised, string sourceName, string outputPath)
    {
        var report = quantised.Report ?? throw new InvalidOperationException("the model was quantised without measuring");
        var settings = quantised.Settings;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("model", sourceName);
            json.WriteString("output", outputPath);
            json.WriteString("scheme", settings.IsFixedPoint ? "fixed-point" : "integer");
            json.WriteStartObject("options");
            if (settings.IsFixedPoint)
            {
                json.WriteString("activations", settings.Activations.ToString());
                json.WriteString("weights", settings.Weights.ToString());
                json.WriteString("biases", settings.Weights.ToString());
                if (settings.Accumulator is { } accumulator)
                {
                    json.WriteString("accumulator", accumulator.ToString());
                }
                else
                {
                    json.WriteNull("accumulator");
                }
                json.WriteNumber("rangeMargin", settings.RangeMargin);
            }
            else
            {
                json.WriteString("weights", settings.Weights.ToString());
                json.WriteString("activations", settings.Activations.ToString());
                json.WriteBoolean("perChannel", settings.PerChannel);
                json.WriteBoolean("symmetricActivations", settings.SymmetricActivations);
            }
            json.WriteString("method", settings.Method.ToString().ToLowerInvariant());
            json.WriteNumber("percentile", settings.Percentile);
            json.WriteNumber("calibrationSamples", report.CalibrationSamples);
            if (!settings.IsFixedPoint)
            {
                Number(json, "accuracyBudgetPoints", settings.AccuracyBudget);
            }
            json.WriteEndObject();
            Strings(json, "passes", quantised.Passes);
            json.WriteStartArray("warnings");
            foreach (var warning in quantised.Warnings)
            {
                json.WriteStartObject();
                json.WriteString("code", warning.Code);
                json.WriteString("message", warning.Message);
                if (warning.Location?.Node is string node)
                {
                    json.WriteString("node", node);
                }
                else
                {
                    json.WriteNull("node");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("layers");
            switch (report)
            {
                case IntegerQuantizationReport integer:
                    foreach (var layer in integer.Layers)
                    {
                        Layer(json, layer);
                    }
                    break;
                case FixedPointQuantizationReport fixedPoint:
                    foreach (var layer in fixedPoint.Layers)
                    {
                        FixedPointLayer(json, layer);
                    }
                    break;
            }
            json.WriteEndArray();
            Strings(json, "floatNodes", report.FloatNodes);
            if (report is FixedPointQuantizationReport bits)
            {
                // Hardware stores W bits per fixed-point value: the bytes are W · count / 8.
                json.WriteStartObject("weightBits");
                json.WriteNumber("float", bits.FloatWeightBits);
                json.WriteNumber("quantized", bits.QuantizedWeightBits);
                json.WriteEndObject();
            }
            json.WriteStartObject("weightBytes");
            json.WriteNumber("float", report.FloatWeightBytes);
            json.WriteNumber("quantized", report.QuantizedWeightBytes);
            json.WriteNumber("ratio", (double)report.QuantizedWeightBytes / report.FloatWeightBytes);
            json.WriteEndObject();
            json.WriteStartObject("sqnr");
            json.WriteString("data", report.Sqnr.Data);
            json.WriteNumber("samples", report.Sqnr.Samples);
            json.WriteEndObject();
            if (report.Accuracy is { } accuracy)
            {
                json.WriteStartObject("accuracy");
                json.WriteNumber("samples", accuracy.Samples);
                json.WriteNumber("float", accuracy.Float);
                json.WriteNumber("quantized", accuracy.Quantised);
                json.WriteNumber("dropPoints", accuracy.DropPoints);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("accuracy");
            }
            if (report is IntegerQuantizationReport { MixedPrecision: { } mixed })
            {
                MixedPrecision(json, mixed);
            }
            else
            {
                json.WriteNull("mixedPrecision");
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void MixedPrecision(Utf8JsonWriter json, MixedPrecisionDecision mixed)
    {
        json.WriteStartObject("mixedPrecision");
        json.WriteNumber("budgetPoints", mixed.Budget * 100);
        json.WriteString("high", mixed.High.ToString());
        json.WriteBoolean("budgetMet", mixed.BudgetMet);
        json.WriteNumber("floatAccuracy", mixed.FloatAccuracy);
        json.WriteNumber("allLowAccuracy", mixed.AllLowAccuracy);
        json.WriteNumber("accuracy", mixed.Accuracy);
        Strings(json, "highPrecisionLayers", mixed.HighPrecisionLayers);
        json.WriteStartArray("sensitivities");
        foreach (var s in mixed.Sensitivities)
        {
            json.WriteStartObject();
            json.WriteString("node", s.Node);
            json.WriteString("op", s.Op);
            json.WriteNumber("accuracy", s.Accuracy);
            json.WriteNumber("dropPoints", s.Drop * 100);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One fixed-point layer: its types in the type syntax with both modes spelled out, the accumulator's widths, ranges, overflow flags and SQNR.</summary>
    private static void FixedPointLayer(Utf8JsonWriter json, FixedPointLayerReport row)
    {
        var layer = row.Layer;
        json.WriteStartObject();
        json.WriteString("node", layer.Node);
        json.WriteString("op", layer.Op);
        OptionalString(json, "fusedActivation", layer.FusedActivation);
        Strings(json, "inputTypes", layer.Inputs.Select(FixedPointPrecision.Describe).ToList());
        OptionalString(json, "weightType", layer.Weights is null ? null : FixedPointPrecision.Describe(layer.Weights));
        OptionalString(json, "biasType", layer.Bias is null ? null : FixedPointPrecision.Describe(layer.Bias));
        json.WriteStartObject("accumulator");
        json.WriteString("type", FixedPointPrecision.Describe(layer.Accumulator));
        json.WriteNumber("bits", layer.Accumulator.Width);
        json.WriteNumber("worstCaseBits", layer.WorstCaseAccumulatorBits);
        json.WriteNumber("calibratedBits", layer.CalibratedAccumulatorBits);
        json.WriteEndObject();
        json.WriteString("resultType", FixedPointPrecision.Describe(layer.Result));
        Range(json, "inputRange", layer.InputRange);
        Range(json, "outputRange", layer.OutputRange);
        json.WriteStartObject("overflow");
        json.WriteBoolean("accumulator", layer.AccumulatorCanOverflow);
        json.WriteBoolean("result", layer.ResultCanOverflow);
        json.WriteEndObject();
        Number(json, "sqnrDb", double.IsFinite(row.SqnrDecibels) ? row.SqnrDecibels : null);
        json.WriteEndObject();
    }

    private static void Range(Utf8JsonWriter json, string name, TensorRange range)
    {
        json.WriteStartObject(name);
        json.WriteNumber("min", range.Min);
        json.WriteNumber("max", range.Max);
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void OptionalString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Layer(Utf8JsonWriter json, LayerReport layer)
    {
        json.WriteStartObject();
        json.WriteString("node", layer.Node);
        json.WriteString("op", layer.Op);
        OptionalString(json, "fusedActivation", layer.FusedActivation);
        json.WriteNumber("weightBits", layer.WeightBits);
        json.WriteNumber("activationBits", layer.ActivationBits);
        json.WriteString("weightScheme", layer.WeightBits == 0 ? "none" : layer.PerChannel ? "symmetric per-channel" : "symmetric per-tensor");
        json.WriteString("activationScheme", layer.Symmetric ? "symmetric per-tensor" : "asymmetric per-tensor");
        json.WriteStartObject("range");
        json.WriteNumber("min", layer.RangeMin);
        json.WriteNumber("max", layer.RangeMax);
        json.WriteEndObject();
        if (layer.WeightScaleMin is float low && layer.WeightScaleMax is float high)
        {
            json.WriteStartObject("weightScale");
            json.WriteNumber("min", low);
            json.WriteNumber("max", high);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("weightScale");
        }
        json.WriteNumber("scale", layer.Scale);
        json.WriteNumber("zeroPoint", layer.ZeroPoint);
        Number(json, "sqnrDb", double.IsFinite(layer.SqnrDecibels) ? layer.SqnrDecibels : null);
        json.WriteBoolean("highPrecision", layer.HighPrecision);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

using System.Text;
using System.Text.Json;
using Neurite.Passes.Quantize.Report;

namespace Neurite;

/// <summary>
/// The quantisation report as JSON (<c>neurite quantize --report R.json</c>), for scripts and
/// CI: options, passes, per-layer rows, sizes, accuracies and mixed-precision decisions.
/// Accuracies are fractions, drops percentage points; an SQNR that is not finite (an exact
/// layer) is written as null, JSON having no infinity.
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
            json.WriteStartObject("options");
            json.WriteString("weights", settings.Weights.ToString());
            json.WriteString("activations", settings.Activations.ToString());
            json.WriteBoolean("perChannel", settings.PerChannel);
            json.WriteBoolean("symmetricActivations", settings.SymmetricActivations);
            json.WriteString("method", settings.Method.ToString().ToLowerInvariant());
            json.WriteNumber("percentile", settings.Percentile);
            json.WriteNumber("calibrationSamples", report.CalibrationSamples);
            Number(json, "accuracyBudgetPoints", settings.AccuracyBudget);
            json.WriteEndObject();
            json.WriteStartArray("passes");
            foreach (var pass in quantised.Passes)
            {
                json.WriteStringValue(pass);
            }
            json.WriteEndArray();
            json.WriteStartArray("layers");
            foreach (var layer in report.Layers)
            {
                Layer(json, layer);
            }
            json.WriteEndArray();
            json.WriteStartArray("floatNodes");
            foreach (var node in report.FloatNodes)
            {
                json.WriteStringValue(node);
            }
            json.WriteEndArray();
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
            if (report.MixedPrecision is { } mixed)
            {
                json.WriteStartObject("mixedPrecision");
                json.WriteNumber("budgetPoints", mixed.Budget * 100);
                json.WriteString("high", mixed.High.ToString());
                json.WriteBoolean("budgetMet", mixed.BudgetMet);
                json.WriteNumber("floatAccuracy", mixed.FloatAccuracy);
                json.WriteNumber("allLowAccuracy", mixed.AllLowAccuracy);
                json.WriteNumber("accuracy", mixed.Accuracy);
                json.WriteStartArray("highPrecisionLayers");
                foreach (var node in mixed.HighPrecisionLayers)
                {
                    json.WriteStringValue(node);
                }
                json.WriteEndArray();
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
            else
            {
                json.WriteNull("mixedPrecision");
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Layer(Utf8JsonWriter json, LayerReport layer)
    {
        json.WriteStartObject();
        json.WriteString("node", layer.Node);
        json.WriteString("op", layer.Op);
        if (layer.FusedActivation is null)
        {
            json.WriteNull("fusedActivation");
        }
        else
        {
            json.WriteString("fusedActivation", layer.FusedActivation);
        }
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

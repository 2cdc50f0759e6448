using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Neurite.Ir;

namespace Neurite.Backends;

/// <summary>
/// <c>manifest.json</c> as text: written by hand in a fixed key order with '\n' line ends so the
/// same artifact gives the same bytes, and read back with a diagnostic for every field that is
/// missing or of the wrong kind.
/// </summary>
public static class ManifestJson
{
    public static string Write(ArtifactManifest manifest)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("format", ArtifactManifest.Format);
            json.WriteString("target", manifest.Target);
            json.WriteStartObject("options");
            json.WriteStartObject("dims");
            foreach (var (name, size) in manifest.Options.Dimensions)
            {
                json.WriteNumber(name, size);
            }
            json.WriteEndObject();
            json.WriteStartObject("settings");
            foreach (var (name, value) in manifest.Options.Settings)
            {
                json.WriteString(name, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("source");
            json.WriteString("name", manifest.Source.SourceName);
            json.WriteString("sha256", manifest.Source.SourceSha256);
            json.WriteEndObject();
            json.WriteStartArray("passes");
            foreach (var pass in manifest.Source.Passes)
            {
                json.WriteStringValue(pass);
            }
            json.WriteEndArray();
            WriteTensors(json, "inputs", manifest.Inputs);
            WriteTensors(json, "outputs", manifest.Outputs);
            WriteTensors(json, "intermediates", manifest.Intermediates);
            json.WriteStartArray("files");
            foreach (var file in manifest.Files)
            {
                json.WriteStartObject();
                json.WriteString("path", file.Path);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("metrics");
            foreach (var (name, value) in manifest.Metrics)
            {
                json.WriteNumber(name, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteTensors(Utf8JsonWriter json, string name, IReadOnlyList<ManifestTensor> tensors)
    {
        json.WriteStartArray(name);
        foreach (var tensor in tensors)
        {
            json.WriteStartObject();
            json.WriteString("name", tensor.Name);
            json.WriteString("type", tensor.ElementType);
            json.WriteStartArray("shape");
            foreach (int d in tensor.Shape)
            {
                json.WriteNumberValue(d);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Reads a manifest file; every problem with it is a diagnostic naming the file and the field.</summary>
    public static ArtifactManifest Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new NeuriteException("artifact.manifest", $"'{Path.GetDirectoryName(path)}' is not a Neurite artifact: it has no {ArtifactManifest.FileName}");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new NeuriteException("artifact.manifest", $"'{path}' is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var reader = new Reader(path);
            var manifest = reader.Manifest(document.RootElement);
            if (reader.Problems.Count > 0 || manifest is null)
            {
                throw new NeuriteException(reader.Problems);
            }
            return manifest;
        }
    }

    /// <summary>Collects every problem instead of stopping at the first, so one run shows them all.</summary>
    private sealed class Reader(string path)
    {
        public List<Diagnostic> Problems { get; } = [];

        private void Problem(string field, string expected, string found) =>
            Problems.Add(Diagnostic.Error("artifact.manifest", $"'{path}': field '{field}' should be {expected}, found {found}"));

        private static string Describe(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Undefined => "nothing",
            JsonValueKind.String => $"the string \"{e.GetString()}\"",
            _ => e.ValueKind.ToString().ToLowerInvariant() switch { "object" => "an object", "array" => "an array", var k => k },
        };

        private JsonElement Field(JsonElement parent, string name, JsonValueKind kind, string where)
        {
            if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == kind)
            {
                return value;
            }
            var found = parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var other) ? other : default;
            Problem(where + name, kind == JsonValueKind.Array ? "an array" : kind == JsonValueKind.Object ? "an object" : kind.ToString().ToLowerInvariant(), Describe(found));
            return default;
        }

        private string Text(JsonElement parent, string name, string where) =>
            Field(parent, name, JsonValueKind.String, where) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : "";

        private IEnumerable<JsonElement> Items(JsonElement parent, string name) =>
            Field(parent, name, JsonValueKind.Array, "") is { ValueKind: JsonValueKind.Array } e ? e.EnumerateArray().ToList() : [];

        private IEnumerable<JsonProperty> Properties(JsonElement parent, string name, string where) =>
            Field(parent, name, JsonValueKind.Object, where) is { ValueKind: JsonValueKind.Object } e ? e.EnumerateObject().ToList() : [];

        public ArtifactManifest? Manifest(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problem("(top level)", "an object", Describe(root));
                return null;
            }
            string format = Text(root, "format", "");
            if (format.Length > 0 && format != ArtifactManifest.Format)
            {
                Problem("format", $"\"{ArtifactManifest.Format}\"", $"\"{format}\" (made by another version of Neurite?)");
            }
            string target = Text(root, "target", "");
            var options = Field(root, "options", JsonValueKind.Object, "");
            var dims = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
            var settings = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (options.ValueKind == JsonValueKind.Object)
            {
                foreach (var dim in Properties(options, "dims", "options."))
                {
                    if (dim.Value.ValueKind == JsonValueKind.Number && dim.Value.TryGetInt32(out int size) && size > 0)
                    {
                        dims[dim.Name] = size;
                    }
                    else
                    {
                        Problem($"options.dims.{dim.Name}", "a positive integer", Describe(dim.Value));
                    }
                }
                foreach (var setting in Properties(options, "settings", "options."))
                {
                    if (setting.Value.ValueKind == JsonValueKind.String)
                    {
                        settings[setting.Name] = setting.Value.GetString()!;
                    }
                    else
                    {
                        Problem($"options.settings.{setting.Name}", "a string", Describe(setting.Value));
                    }
                }
            }
            var source = Field(root, "source", JsonValueKind.Object, "");
            string sourceName = source.ValueKind == JsonValueKind.Object ? Text(source, "name", "source.") : "";
            string sourceHash = source.ValueKind == JsonValueKind.Object ? Text(source, "sha256", "source.") : "";
            var passes = Items(root, "passes").Select(p => p.ValueKind == JsonValueKind.String ? p.GetString()! : "").ToList();
            var inputs = Tensors(root, "inputs");
            var outputs = Tensors(root, "outputs");
            var intermediates = Tensors(root, "intermediates");
            var files = Items(root, "files").Select((f, i) => new ManifestFile(Text(f, "path", $"files[{i}]."), Text(f, "sha256", $"files[{i}]."))).ToList();
            foreach (var file in files.Where(f => f.Path.Length > 0 && (Path.IsPathRooted(f.Path) || f.Path.Contains("..", StringComparison.Ordinal))))
            {
                Problem("files", "paths inside the artifact folder", $"'{file.Path}'");
            }
            var metrics = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
            foreach (var metric in Properties(root, "metrics", ""))
            {
                if (metric.Value.ValueKind == JsonValueKind.Number && metric.Value.TryGetInt64(out long value))
                {
                    metrics[metric.Name] = value;
                }
                else
                {
                    Problem($"metrics.{metric.Name}", "an integer", Describe(metric.Value));
                }
            }
            return new ArtifactManifest(target, new TargetOptions { Dimensions = dims.ToImmutable(), Settings = settings.ToImmutable() },
                new ArtifactProvenance(sourceName, sourceHash, passes), inputs, outputs, intermediates, files, metrics.ToImmutable());
        }

        private List<ManifestTensor> Tensors(JsonElement root, string name)
        {
            var result = new List<ManifestTensor>();
            int index = 0;
            foreach (var item in Items(root, name))
            {
                string where = $"{name}[{index++}].";
                string tensorName = Text(item, "name", where);
                string type = Text(item, "type", where);
                var shape = new List<int>();
                if (Field(item, "shape", JsonValueKind.Array, where) is { ValueKind: JsonValueKind.Array } dims)
                {
                    foreach (var d in dims.EnumerateArray())
                    {
                        if (d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int size) && size >= 0)
                        {
                            shape.Add(size);
                        }
                        else
                        {
                            Problem(where + "shape", "non-negative integers", Describe(d));
                        }
                    }
                }
                result.Add(new ManifestTensor(tensorName, type, [.. shape]));
            }
            return result;
        }
    }
}

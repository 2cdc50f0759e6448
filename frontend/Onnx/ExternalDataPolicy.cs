using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

/// <summary>
/// Where an external-data tensor may live: in a file inside the model's folder, and nowhere
/// else. A location that is absolute, climbs out with "..", or reaches outside through a
/// symbolic link is refused, so a downloaded model cannot read arbitrary files.
/// </summary>
public sealed class ExternalDataPolicy
{
    private readonly string folder;

    public ExternalDataPolicy(string modelFolder)
    {
        folder = RealPath(Path.GetFullPath(modelFolder));
    }

    /// <summary>The real path of the file behind <paramref name="location"/>; throws a diagnostic when it is not allowed.</summary>
    public string Resolve(string location, string tensorName)
    {
        var check = Check(location);
        if (check.Refusal is not null)
        {
            throw Refuse(tensorName, location, check.Refusal);
        }
        if (check.RealPath is null)
        {
            throw new NeuriteException("onnx.external-data",
                $"external data of tensor '{tensorName}': file '{location}' does not exist next to the model (looked for {check.LookedFor})");
        }
        return check.RealPath;
    }

    /// <summary>
    /// Where <paramref name="location"/> leads, without throwing: the real path, or why it is refused,
    /// or (both null) that no file is there. For readers that report problems in their own words (the DSL).
    /// </summary>
    public LocationCheck Check(string location)
    {
        if (location.Length == 0)
        {
            return new LocationCheck(null, "the location is empty", location);
        }
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\') || (location.Length > 1 && location[1] == ':'))
        {
            return new LocationCheck(null, "absolute paths are not allowed; the location must be relative to the model's folder", location);
        }
        string full = Path.GetFullPath(Path.Combine(folder, location));
        if (!IsInside(full, folder))
        {
            return new LocationCheck(null, "the path leaves the model's folder", full);
        }
        if (!File.Exists(full))
        {
            return new LocationCheck(null, null, full);
        }
        string real = RealPath(full);
        if (!IsInside(real, folder))
        {
            return new LocationCheck(null, $"a symbolic link leads outside the model's folder (to {real})", full);
        }
        return new LocationCheck(real, null, full);
    }

    private static bool IsInside(string path, string root)
    {
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static NeuriteException Refuse(string tensorName, string location, string reason) =>
        new("onnx.external-data", $"external data of tensor '{tensorName}' at '{location}' is refused: {reason}");

    /// <summary>The path with every symbolic link along it resolved (what realpath(3) computes).</summary>
    internal static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? "/";
        var pending = new Stack<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        string current = root;
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            string next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is string target)
            {
                if (++links > 40)
                {
                    throw new NeuriteException("onnx.external-data", $"too many symbolic links while resolving {path}");
                }
                string resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                string resolvedRoot = Path.GetPathRoot(Path.GetFullPath(resolved)) ?? "/";
                foreach (var p in Path.GetFullPath(resolved)[resolvedRoot.Length..]
                    .Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(p);
                }
                current = resolvedRoot;
                continue;
            }
            current = next;
        }
        return current;
    }
}

/// <summary>What <see cref="ExternalDataPolicy.Check"/> found: the real path, or the reason for refusing, or neither when no file exists.</summary>
public sealed record LocationCheck(string? RealPath, string? Refusal, string LookedFor);

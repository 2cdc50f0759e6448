using System.Security.Cryptography;
using System.Text;

namespace Neurite.Backends;

/// <summary>Lower-case hex SHA-256 of bytes, text and files: how artifacts name their sources and contents.</summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

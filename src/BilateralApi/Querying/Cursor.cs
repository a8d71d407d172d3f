using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BilateralApi.Querying;

/// <summary>
/// Opaque keyset cursors: the sort key of the last row served plus a fingerprint of the query it
/// belongs to, so a cursor reused with other filters is rejected instead of silently skipping rows.
/// </summary>
public static class Cursor
{
    public static string Encode(IReadOnlyList<object?> keys, string fingerprint)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new CursorPayload(fingerprint, keys.Select(k => k?.ToString()).ToArray()));
        return Base64Url.EncodeToString(payload);
    }

    public static bool TryDecode(string cursor, string fingerprint, out string?[] keys, out string? error)
    {
        keys = [];
        error = null;
        try
        {
            var payload = JsonSerializer.Deserialize<CursorPayload>(Base64Url.DecodeFromChars(cursor));
            if (payload?.K is null || payload.F is null)
            {
                error = "The cursor is not one this API issued.";
                return false;
            }
            if (payload.F != fingerprint)
            {
                error = "The cursor belongs to a query with other filters or sort; start again without a cursor.";
                return false;
            }
            keys = payload.K;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            error = "The cursor is not one this API issued.";
            return false;
        }
    }

    /// <summary>A short hash of the query parameters that shape the result (everything but cursor and limit).</summary>
    public static string Fingerprint(string resource, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var text = new StringBuilder(resource);
        foreach (var (key, value) in parameters.Where(p => p.Key is not ("cursor" or "limit") && p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append('&').Append(key).Append('=').Append(value);
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 8);
    }

    private sealed record CursorPayload(string? F, string?[]? K);
}

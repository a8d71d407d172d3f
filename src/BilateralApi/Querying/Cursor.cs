using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using Dapper;

namespace BilateralApi.Querying;

/// <summary>
/// Opaque keyset cursors: the sort keys of the last row served plus a fingerprint of the query it
/// belongs to, signed with HMAC-SHA256 so that a cursor cannot be forged or edited (a changed key
/// would skip or repeat rows), and a cursor reused with other filters or another sort is rejected.
/// Format: base64url(JSON {"f": fingerprint, "k": [keys]}) "." base64url(first 16 bytes of the MAC).
/// </summary>
public static class Cursor
{
    private const int MacLength = 16;

    public const string NotIssued = "The cursor is not one this API issued.";
    public const string OtherQuery = "The cursor belongs to a query with other filters or sort; start again without a cursor.";

    public static string Encode(IReadOnlyList<object?> keys, string fingerprint, byte[] key)
    {
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new CursorPayload(fingerprint, keys.ToArray())));
        return payload + "." + Base64Url.EncodeToString(Mac(key, payload));
    }

    /// <summary>Checks the signature and the fingerprint; keys come back as long, double, string or null.</summary>
    public static bool TryDecode(string cursor, string fingerprint, byte[] key, out object?[] keys, out string? error)
    {
        keys = [];
        error = NotIssued;
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }
        try
        {
            var payload = cursor[..dot];
            if (!CryptographicOperations.FixedTimeEquals(Mac(key, payload), Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1))))
            {
                return false;
            }
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            if (!json.RootElement.TryGetProperty("F", out var f) || !json.RootElement.TryGetProperty("K", out var k) || k.ValueKind != JsonValueKind.Array)
            {
                return false;
            }
            if (f.GetString() != fingerprint)
            {
                error = OtherQuery;
                return false;
            }
            keys = k.EnumerateArray().Select(Value).ToArray();
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
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

    private static object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetInt64(out var whole) => whole,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.Null => null,
        _ => throw new FormatException("Unexpected cursor key."),
    };

    private static byte[] Mac(byte[] key, string payload) =>
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(payload))[..MacLength];

    private sealed record CursorPayload(string F, object?[] K);
}

/// <summary>
/// The cursor signing key: from configuration (Querying:CursorKey, base64, at least 32 bytes) so that
/// several instances share it, else generated once and kept in app_meta so cursors survive restarts and
/// every instance on one database signs with the same key: the first to store it wins (the upsert reads
/// the same in SQLite and PostgreSQL), the others read it back.
/// </summary>
public sealed class CursorKeys(IStoreConnections connections, IConfiguration configuration)
{
    private const string MetaKey = "cursor.hmacKey";
    private byte[]? _key;

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (_key is { } known)
        {
            return known;
        }
        if (configuration["Querying:CursorKey"] is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException("Querying:CursorKey must be at least 32 bytes (base64).");
            }
            return _key = bytes;
        }
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO app_meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING",
            new { key = MetaKey, value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, cancellationToken: cancellationToken));
        var stored = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT value FROM app_meta WHERE key = @key", new { key = MetaKey }, cancellationToken: cancellationToken));
        return _key = Convert.FromBase64String(stored!);
    }
}

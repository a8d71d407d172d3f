using System.Security.Cryptography;
using System.Text;
using BilateralApi.Infrastructure.Database;
using Dapper;

namespace BilateralApi.Infrastructure.Security;

/// <summary>The scopes a key can carry. <c>admin</c> includes the others.</summary>
public static class ApiScopes
{
    public const string Write = "write";
    public const string Import = "import";
    public const string Admin = "admin";

    public static readonly string[] All = [Write, Import, Admin];
}

/// <summary>A key as listed: never its secret, which is not stored.</summary>
public sealed record ApiKeyInfo(string Id, string Name, IReadOnlyList<string> Scopes, string CreatedAt, string? RevokedAt);

/// <summary>
/// API keys: created with 256 bits from the OS random generator, shown once, stored only as
/// SHA-256(salt || secret) with a per-key 16-byte salt, checked with a constant-time compare. A key
/// reads <c>bk_&lt;id&gt;_&lt;secret&gt;</c>; the id finds the row, so no hash is ever searched for.
/// A slow hash (PBKDF2) protects low-entropy passwords; a 256-bit random secret cannot be guessed
/// from its hash anyway, and a fast hash keeps the per-request check cheap (decision 0013).
/// </summary>
public sealed class ApiKeyStore(IStoreConnections connections, TimeProvider time)
{
    private const string Prefix = "bk_";
    private const int IdLength = 16;

    public async Task<(ApiKeyInfo Info, string Key)> CreateAsync(string name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        var normalized = scopes.Select(s => s.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        var createdAt = Clock.Now(time);
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_key (id, name, scopes, salt, hash, created_at) VALUES (@id, @name, @scopes, @salt, @hash, @createdAt)",
            new { id, name, scopes = string.Join(',', normalized), salt, hash = Hash(salt, secret), createdAt }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return (new ApiKeyInfo(id, name, normalized, createdAt, null), $"{Prefix}{id}_{secret}");
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, scopes AS Scopes, salt AS Salt, hash AS Hash, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_key ORDER BY created_at, id",
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    /// <summary>Revokes a key; false when no key has this id. Revoking twice keeps the first time.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var found = await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_key SET revoked_at = COALESCE(revoked_at, @now) WHERE id = @id", new { id, now = Clock.Now(time) }, scope.Transaction, cancellationToken: cancellationToken));
        await scope.CommitAsync(cancellationToken);
        return found > 0;
    }

    /// <summary>The active key a client presented, or null. Never logs or returns the secret.</summary>
    public async Task<ApiKeyInfo?> ValidateAsync(string presented, CancellationToken cancellationToken)
    {
        if (presented.Length < Prefix.Length + IdLength + 2 || presented.Length > 200
            || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented[Prefix.Length + IdLength] != '_')
        {
            return null;
        }
        var id = presented.Substring(Prefix.Length, IdLength);
        var secret = presented[(Prefix.Length + IdLength + 1)..];
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, scopes AS Scopes, salt AS Salt, hash AS Hash, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_key WHERE id = @id",
            new { id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            // Same work as for a known id, so timing does not tell which ids exist.
            CryptographicOperations.FixedTimeEquals(Hash(new byte[16], secret), new byte[32]);
            return null;
        }
        var matches = CryptographicOperations.FixedTimeEquals(Hash(row.Salt, secret), row.Hash);
        return matches && row.RevokedAt is null ? row.ToInfo() : null;
    }

    private static byte[] Hash(byte[] salt, string secret)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var input = new byte[salt.Length + secretBytes.Length];
        salt.CopyTo(input, 0);
        secretBytes.CopyTo(input, salt.Length);
        return SHA256.HashData(input);
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class KeyRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Scopes { get; set; } = "";
        public byte[] Salt { get; set; } = [];
        public byte[] Hash { get; set; } = [];
        public string CreatedAt { get; set; } = "";
        public string? RevokedAt { get; set; }

        public ApiKeyInfo ToInfo() => new(Id, Name, Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), CreatedAt, RevokedAt);
    }
}

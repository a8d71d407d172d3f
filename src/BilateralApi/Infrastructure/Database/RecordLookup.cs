using Dapper;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Answers "which of these ids exist?" for references between records (citations → sources,
/// events → agreements), in one statement per call. Validators use it; during the seed load it
/// reads through the seed's own transaction so that records written earlier in the same load count.
/// </summary>
public sealed class RecordLookup
{
    private static readonly Dictionary<string, string> Statements = new(StringComparer.Ordinal)
    {
        ["source"] = "SELECT id FROM source WHERE id IN @ids",
        ["agreement"] = "SELECT id FROM agreement WHERE id IN @ids",
    };

    private readonly SqliteConnectionFactory? _connections;
    private readonly WriteScope? _scope;

    public RecordLookup(SqliteConnectionFactory connections) => _connections = connections;

    public RecordLookup(WriteScope scope) => _scope = scope;

    public async Task<HashSet<string>> ExistingAsync(string table, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0)
        {
            return [];
        }
        var sql = Statements[table];
        if (_scope is not null)
        {
            return (await _scope.Connection.QueryAsync<string>(new CommandDefinition(sql, new { ids = wanted }, _scope.Transaction, cancellationToken: cancellationToken)))
                .ToHashSet(StringComparer.Ordinal);
        }
        await using var connection = await _connections!.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { ids = wanted }, cancellationToken: cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);
    }

    public async Task<bool> ExistsAsync(string table, string id, CancellationToken cancellationToken) =>
        (await ExistingAsync(table, [id], cancellationToken)).Count == 1;
}

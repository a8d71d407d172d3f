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
        ["source"] = "SELECT id FROM source WHERE id IN {0}",
        ["agreement"] = "SELECT id FROM agreement WHERE id IN {0}",
    };

    private readonly IStoreConnections? _connections;
    private readonly IWriteScope? _scope;
    private readonly Dictionary<string, HashSet<string>>? _known;

    public RecordLookup(IStoreConnections connections) => _connections = connections;

    public RecordLookup(IWriteScope scope) => _scope = scope;

    private RecordLookup(Dictionary<string, HashSet<string>> known) => _known = known;

    /// <summary>
    /// A lookup that reads every id once, inside the import's transaction, and answers from memory after
    /// that: bulk imports validate millions of rows with the single-write validators, and a query per
    /// row would dominate their time. Records the import itself writes are added with <see cref="Remember"/>.
    /// (Sources and agreements are curated tables of thousands of rows, not millions.)
    /// </summary>
    public static async Task<RecordLookup> PreloadAsync(IWriteScope scope, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var table in Statements.Keys)
        {
            var ids = await scope.Connection.QueryAsync<string>(new CommandDefinition($"SELECT id FROM {table}", transaction: scope.Transaction, cancellationToken: cancellationToken));
            known[table] = ids.ToHashSet(StringComparer.Ordinal);
        }
        return new RecordLookup(known);
    }

    /// <summary>A preloading lookup learns an id written after it was loaded.</summary>
    public void Remember(string table, string id) => _known?[table].Add(id);

    public async Task<HashSet<string>> ExistingAsync(string table, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0)
        {
            return [];
        }
        if (_known is not null)
        {
            var known = _known[table];
            return wanted.Where(known.Contains).ToHashSet(StringComparer.Ordinal);
        }
        if (_scope is not null)
        {
            return (await _scope.Connection.QueryAsync<string>(Query(table, wanted, _scope.Transaction, cancellationToken))).ToHashSet(StringComparer.Ordinal);
        }
        await using var connection = await _connections!.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(Query(table, wanted, null, cancellationToken))).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The ids as one parameter each (<see cref="SqlLists"/>): one statement text for both stores.</summary>
    private static CommandDefinition Query(string table, string[] ids, System.Data.Common.DbTransaction? transaction, CancellationToken cancellationToken) =>
        SqlLists.Command(Statements[table], ids, null, transaction, cancellationToken);

    public Task<bool> ExistsAsync(string table, string id, CancellationToken cancellationToken) =>
        _known is not null
            ? (_known[table].Contains(id) ? True : False)
            : ExistsInStoreAsync(table, id, cancellationToken);

    private static readonly Task<bool> True = Task.FromResult(true);
    private static readonly Task<bool> False = Task.FromResult(false);

    private async Task<bool> ExistsInStoreAsync(string table, string id, CancellationToken cancellationToken) =>
        (await ExistingAsync(table, [id], cancellationToken)).Count == 1;
}

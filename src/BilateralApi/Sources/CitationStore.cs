using BilateralApi.Infrastructure.Database;
using Dapper;
using System.Data.Common;

namespace BilateralApi.Sources;

/// <summary>Stores and loads the citations of agreements, events and claims (record kind + id), in bulk.</summary>
public static class CitationStore
{
    public const string Agreement = "agreement";
    public const string Event = "event";
    public const string Claim = "claim";

    private const string DeleteSql = "DELETE FROM citation WHERE record_kind = @kind AND record_id = @id";

    private const string InsertSql = """
        INSERT INTO citation (record_kind, record_id, ordinal, source_id, locator, quote, supports)
        VALUES (@Kind, @RecordId, @Ordinal, @SourceId, @Locator, @Quote, @Supports)
        """;

    private const string LoadSql = """
        SELECT record_id AS RecordId, ordinal AS Ordinal, source_id AS SourceId, locator AS Locator, quote AS Quote, supports AS Supports
        FROM citation WHERE record_kind = @kind AND record_id IN {0} ORDER BY record_id, ordinal
        """;

    /// <summary>Replaces the citations of one record inside the caller's transaction.</summary>
    public static async Task ReplaceAsync(IWriteScope scope, string kind, string id, IReadOnlyList<Citation> citations, CancellationToken cancellationToken)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { kind, id }, scope.Transaction, cancellationToken: cancellationToken));
        var rows = citations.Select((c, i) => new { Kind = kind, RecordId = id, Ordinal = i, c.SourceId, c.Locator, c.Quote, c.Supports });
        await scope.Connection.ExecuteAsync(new CommandDefinition(InsertSql, rows, scope.Transaction, cancellationToken: cancellationToken));
    }

    public static Task DeleteAsync(IWriteScope scope, string kind, string id, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { kind, id }, scope.Transaction, cancellationToken: cancellationToken));

    /// <summary>The citations of many records in one statement, by record id (absent ids have none).</summary>
    public static async Task<ILookup<string, Citation>> LoadAsync(DbConnection connection, string kind, IReadOnlyCollection<string> ids, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        if (ids.Count == 0)
        {
            return Array.Empty<CitationRow>().ToLookup(r => r.RecordId, r => r.ToContract());
        }
        var rows = await connection.QueryAsync<CitationRow>(SqlLists.Command(LoadSql, ids, new { kind }, transaction, cancellationToken));
        return rows.ToLookup(r => r.RecordId, r => r.ToContract(), StringComparer.Ordinal);
    }
}

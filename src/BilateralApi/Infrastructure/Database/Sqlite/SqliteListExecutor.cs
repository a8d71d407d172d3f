using System.Data.Common;
using BilateralApi.Querying;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>The list executor on SQLite: full-text search through the FTS5 tables (<see cref="SqliteListSql"/>), time budget by SQLite's progress handler.</summary>
public sealed class SqliteListExecutor(SqliteConnectionFactory connections, QueryBudget budget) : StoreListExecutor(budget)
{
    protected override IStatementStop Stop => SqliteStatementStop.Instance;

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await connections.OpenAsync(cancellationToken);

    protected override ListStatements Statements(ListPlan plan)
    {
        if (plan.Search is not { } search)
        {
            return new ListStatements(plan);
        }
        var parameters = new DynamicParameters();
        parameters.Add("q_fts", SqliteListSql.Match(search));
        return new ListStatements(plan, SqliteListSql.FullTextJoin(plan.Resource, "@q_fts"), parameters);
    }

    protected override CommandDefinition Search(SearchPlan plan, CancellationToken cancellationToken) => SqliteListSql.Search(plan, cancellationToken);

    /// <summary>The generic SQLITE_ERROR is what FTS5 raises for a MATCH expression it cannot parse.</summary>
    protected override bool IsRawSyntaxError(DbException exception) => exception is SqliteException { SqliteErrorCode: 1 };
}

using System.Data.Common;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>The list executor on PostgreSQL, on the read connections (a replica when one is given): full-text search through the search_vector columns (<see cref="PostgresListSql"/>), time budget by statement_timeout.</summary>
public sealed class PostgresListExecutor(IReadConnections connections, QueryBudget budget) : StoreListExecutor(budget)
{
    protected override IStatementStop Stop => PostgresStatementStop.Instance;

    protected override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => connections.OpenAsync(cancellationToken);

    protected override ListStatements Statements(ListPlan plan)
    {
        if (plan.Search is not { } search)
        {
            return new ListStatements(plan);
        }
        var parameters = new DynamicParameters();
        parameters.Add("q_fts", PostgresListSql.TsQuery(search));
        return new ListStatements(plan, PostgresListSql.FullTextJoin(plan.Resource, search, "@q_fts"), parameters);
    }

    protected override CommandDefinition Search(SearchPlan plan, CancellationToken cancellationToken) => PostgresListSql.Search(plan, cancellationToken);

    /// <summary>A raw q= reaches the server as the planner's checked syntax tree, written operand by operand: never as syntax it could refuse.</summary>
    protected override bool IsRawSyntaxError(DbException exception) => false;
}

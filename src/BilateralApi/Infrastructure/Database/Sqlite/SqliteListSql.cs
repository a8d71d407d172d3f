using System.Globalization;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// SQLite's full-text statements: q= as an FTS5 MATCH over the tables {table}_fts (whose columns are the
/// searchable fields), ranked by bm25 (lower is better), for the lists and /v1/search.
/// </summary>
public static class SqliteListSql
{
    /// <summary>
    /// The MATCH expression: plain words each as a quoted string (<see cref="FullText.Escape"/>), raw text as
    /// FTS5 syntax, and searchFields as an FTS5 column filter.
    /// </summary>
    public static string Match(FullTextQuery query)
    {
        var match = query.Raw ? query.Text : FullText.Escape(query.Text)!;
        return query.Fields.Count == 0 ? match : $"{{{string.Join(' ', query.Fields)}}} : ({match})";
    }

    /// <summary>The JOIN that restricts a list to the rows matching <paramref name="parameter"/> and ranks them (fts.fts_rank).</summary>
    public static string FullTextJoin(QueryResource resource, string parameter)
    {
        var matches = resource.FullText.Select(t =>
            $"SELECT '{t.Kind}' AS fts_kind, id AS fts_id, bm25({t.Table}_fts) AS fts_rank FROM {t.Table}_fts WHERE {t.Table}_fts MATCH {parameter}");
        return $"JOIN ({string.Join(" UNION ALL ", matches)}) fts ON {resource.FullTextCondition}";
    }

    /// <summary>Every curated kind's FTS5 matches with a passage (snippet) and the bm25 rank.</summary>
    private static readonly string SearchUnion = string.Join(" UNION ALL ", TextTable.All.Select(t => $"""
        SELECT '{t.Kind}' AS Kind, r.id AS Id, {t.Title("r")} AS Title, snippet({t.Table}_fts, -1, '[', ']', '…', 12) AS Snippet, bm25({t.Table}_fts) AS Rank
        FROM {t.Table}_fts JOIN {t.Table} r ON r.id = {t.Table}_fts.id WHERE {t.Table}_fts MATCH @q AND '{t.Kind}' IN @kinds
        """));

    /// <summary>A page of /v1/search: best rank first, then kind and id; after a cursor, strictly after its (rank, kind, id).</summary>
    public static CommandDefinition Search(SearchPlan plan, CancellationToken cancellationToken)
    {
        var after = plan.After;
        var sql = $"SELECT Kind, Id, Title, Snippet, Rank FROM ({SearchUnion}) "
            + (after is null ? "" : "WHERE (Rank > @rank OR (Rank = @rank AND (Kind > @kind OR (Kind = @kind AND Id > @id)))) ")
            + "ORDER BY Rank, Kind, Id LIMIT @take";
        var parameters = new
        {
            q = Match(plan.Query), kinds = plan.Kinds, take = plan.Limit + 1,
            rank = after is null ? 0d : Convert.ToDouble(after[0], CultureInfo.InvariantCulture), kind = after?[1], id = after?[2],
        };
        return new CommandDefinition(sql, parameters, cancellationToken: cancellationToken);
    }
}

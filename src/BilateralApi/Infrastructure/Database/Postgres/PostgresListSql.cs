using System.Globalization;
using System.Text;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Infrastructure.Database.Postgres;

/// <summary>
/// PostgreSQL's full-text statements: q= as a tsquery over each record table's generated search_vector (GIN
/// indexed; the 'bilateral_search' configuration lower-cases and drops diacritics, as SQLite's tokenizer does),
/// ranked by ts_rank negated so that lower is better, as with SQLite's bm25 (decision 0042).
/// </summary>
public static class PostgresListSql
{
    private const string Config = "'bilateral_search'::regconfig";

    /// <summary>
    /// q= as to_tsquery's text. Every word or phrase becomes one quoted operand, which to_tsquery tokenises
    /// with the configuration (several tokens: a phrase, as FTS5 reads a quoted string); plain mode ANDs the
    /// words; raw mode writes the planner's syntax tree (<see cref="FullText.ParseRaw"/>) operator by operator.
    /// </summary>
    public static string TsQuery(FullTextQuery query) => query.Parsed is { } parsed
        ? Write(parsed)
        : string.Join(" & ", FullText.Words(query.Text).Select(w => Operand(w, false)));

    private static string Write(FullText.RawNode node) => node switch
    {
        FullText.RawNode.Term term => Operand(term.Text, term.Prefix),
        FullText.RawNode.And and => $"({Write(and.Left)} & {Write(and.Right)})",
        FullText.RawNode.Or or => $"({Write(or.Left)} | {Write(or.Right)})",
        FullText.RawNode.AndNot not => $"({Write(not.Left)} & !{Write(not.Right)})",
        _ => throw new InvalidOperationException("Unknown raw search node."),
    };

    /// <summary>A quoted tsquery operand: inside the quotes a quote is doubled and a backslash escaped.</summary>
    private static string Operand(string text, bool prefix) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'" + (prefix ? ":*" : "");

    /// <summary>Whether every match of some of the record's fields is a match of the whole record (true without NOT).</summary>
    private static bool Monotone(FullText.RawNode? node) => node switch
    {
        null or FullText.RawNode.Term => true,
        FullText.RawNode.And and => Monotone(and.Left) && Monotone(and.Right),
        FullText.RawNode.Or or => Monotone(or.Left) && Monotone(or.Right),
        _ => false,
    };

    /// <summary>
    /// The record's text vector: the stored search_vector, or for searchFields the vector of those columns
    /// (computed per row, so the stored one narrows the rows first where that is sound).
    /// </summary>
    private static (string Vector, string Where) Vector(TextTable table, FullTextQuery query, string tsquery)
    {
        if (query.Fields.Count == 0)
        {
            return ("search_vector", $"search_vector @@ {tsquery}");
        }
        var columns = table.Columns.Where(c => query.Fields.Contains(c.Field)).Select(c => $"to_tsvector({Config}, coalesce({c.Column}, ''))").ToList();
        if (columns.Count == 0)
        {
            return ("''::tsvector", "false");
        }
        var vector = "(" + string.Join(" || ", columns) + ")";
        return (vector, (Monotone(query.Parsed) ? $"search_vector @@ {tsquery} AND " : "") + $"{vector} @@ {tsquery}");
    }

    /// <summary>The JOIN that restricts a list to the rows matching @q_fts and ranks them (fts.fts_rank).</summary>
    public static string FullTextJoin(QueryResource resource, FullTextQuery query, string parameter)
    {
        var tsquery = $"to_tsquery({Config}, {parameter})";
        var matches = resource.FullText.Select(t =>
        {
            var (vector, where) = Vector(t, query, tsquery);
            return $"SELECT '{t.Kind}' AS fts_kind, id AS fts_id, (-ts_rank({vector}, {tsquery}, 1))::double precision AS fts_rank FROM {t.Table} WHERE {where}";
        });
        return $"JOIN ({string.Join(" UNION ALL ", matches)}) fts ON {resource.FullTextCondition}";
    }

    /// <summary>
    /// A page of /v1/search: the kinds' matches, best rank first, then kind and id (byte order, as on SQLite),
    /// and the passage (ts_headline, matches between [ and ]) written for the page's rows only.
    /// </summary>
    public static CommandDefinition Search(SearchPlan plan, CancellationToken cancellationToken)
    {
        const string tsquery = $"to_tsquery({Config}, @q)";
        var branches = plan.Tables.Select(t => $"""
            SELECT '{t.Kind}' COLLATE "C" AS kind, r.id AS id, {t.Title("r")} AS title,
                   concat_ws(' … ', {string.Join(", ", t.Columns.Select(c => "r." + c.Column))}) AS doc,
                   (-ts_rank(r.search_vector, {tsquery}, 1))::double precision AS rank
            FROM {t.Table} r WHERE r.search_vector @@ {tsquery}
            """);
        var after = plan.After;
        var sql = new StringBuilder()
            .Append("SELECT p.kind AS Kind, p.id AS Id, p.title AS Title, ")
            .Append(CultureInfo.InvariantCulture, $"ts_headline({Config}, p.doc, {tsquery}, 'StartSel=[, StopSel=], MinWords=5, MaxWords=12, MaxFragments=1, FragmentDelimiter=…') AS Snippet, ")
            .Append("p.rank AS Rank FROM (SELECT * FROM (")
            .Append(string.Join(" UNION ALL ", branches))
            .Append(") u ")
            .Append(after is null ? "" : "WHERE (u.rank > @rank OR (u.rank = @rank AND (u.kind > @kind OR (u.kind = @kind AND u.id > @id)))) ")
            .Append("ORDER BY u.rank, u.kind, u.id LIMIT @take) p ORDER BY p.rank, p.kind, p.id");
        var parameters = new DynamicParameters();
        parameters.Add("q", TsQuery(plan.Query));
        parameters.Add("take", plan.Limit + 1);
        if (after is not null)
        {
            parameters.Add("rank", Convert.ToDouble(after[0], CultureInfo.InvariantCulture));
            parameters.Add("kind", after[1]);
            parameters.Add("id", after[2]);
        }
        return new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken);
    }
}

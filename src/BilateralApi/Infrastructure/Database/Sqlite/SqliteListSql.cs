using System.Globalization;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// The statements of a list in SQLite's dialect, written from a <see cref="ListPlan"/>: the keyset page,
/// the count, the facets, and /v1/search over the FTS5 tables. A second store writes its own beside it.
/// </summary>
public static class SqliteListSql
{
    /// <summary>Which rows of a nullable first sort key a page statement reads.</summary>
    public enum Part { All, Values, Nulls }

    public static string OrderBy(ListPlan plan) =>
        string.Join(", ", plan.Keys.Select(k => $"{k.Sql} {(k.Descending ? "DESC" : "ASC")}{(k.Nullable ? " NULLS LAST" : "")}"));

    /// <summary>
    /// The page statement: rows after the keyset position, in order, at most @q_limit (the caller asks for
    /// limit + 1 to know whether there is a next page). The sort keys are selected after the row's columns,
    /// for the next cursor.
    /// <para>
    /// A nullable first key has its NULLs at the end of the order, so "after the cursor" is a range of values
    /// followed by the NULLs, which no single index range covers (an OR of the two makes SQLite walk the
    /// index from its start: page n costs n pages). <see cref="Part.Values"/> reads the values after the
    /// cursor with a range seek, <see cref="Part.Nulls"/> the NULL rows after it; see <see cref="SqliteListExecutor"/>.
    /// </para>
    /// </summary>
    public static string Page(ListPlan plan, bool after, Part part = Part.All)
    {
        var keys = string.Join(", ", plan.Keys.Select((k, i) => $"{k.Sql} AS q_k{i}"));
        var first = plan.Keys[0];
        var where = plan.Where;
        var condition = (after, part) switch
        {
            (false, Part.All) => where,
            (true, Part.All) => $"({where}) AND {Keyset(plan.Keys)}",
            (true, Part.Values) => $"({where}) AND {first.Sql} IS NOT NULL AND {first.Sql} {(first.Descending ? "<=" : ">=")} @q_k0 AND {Keyset(plan.Keys)}",
            // After a value every NULL row follows; after a NULL, the keyset orders the NULL rows by the other keys.
            (_, Part.Nulls) => after ? $"({where}) AND {first.Sql} IS NULL AND {Keyset(plan.Keys)}" : $"({where}) AND {first.Sql} IS NULL",
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
        return $"SELECT {plan.Resource.Columns}, {keys} FROM {plan.From} WHERE {condition} ORDER BY {OrderBy(plan)} LIMIT @q_limit";
    }

    /// <summary>
    /// Rows strictly after the cursor position in the sort order, for any mix of directions and NULLs
    /// (NULLs sort last in both directions): OR over i of (keys before i equal AND key i after).
    /// A leading range on the first key lets SQLite seek in an index instead of scanning.
    /// </summary>
    private static string Keyset(IReadOnlyList<Querying.SortKey> keys)
    {
        var alternatives = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            var parts = new List<string>();
            for (var j = 0; j < i; j++)
            {
                parts.Add(keys[j].Nullable ? $"{keys[j].Sql} IS @q_k{j}" : $"{keys[j].Sql} = @q_k{j}");
            }
            var key = keys[i];
            var after = $"{key.Sql} {(key.Descending ? "<" : ">")} @q_k{i}";
            // After a NULL only NULLs follow, and those are equal on this key: nothing is strictly after it.
            parts.Add(key.Nullable ? $"(@q_k{i} IS NOT NULL AND ({after} OR {key.Sql} IS NULL))" : after);
            alternatives.Add("(" + string.Join(" AND ", parts) + ")");
        }
        var first = keys[0];
        var seek = first.Nullable ? "" : $"{first.Sql} {(first.Descending ? "<=" : ">=")} @q_k0 AND ";
        return $"({seek}({string.Join(" OR ", alternatives)}))";
    }

    /// <summary>The plan's WHERE values, the row limit and the cursor's key values.</summary>
    public static DynamicParameters Parameters(ListPlan plan, object?[]? after, int take)
    {
        var parameters = new DynamicParameters(plan.Sql.Parameters);
        parameters.Add("q_limit", take);
        for (var i = 0; after is not null && i < after.Length; i++)
        {
            parameters.Add("q_k" + i.ToString(CultureInfo.InvariantCulture), after[i]);
        }
        return parameters;
    }

    public static string Count(ListPlan plan, CountMode mode) => mode == CountMode.Estimate
        ? $"SELECT COUNT(*) FROM (SELECT 1 FROM {plan.From} WHERE {plan.Where} LIMIT {ListPlan.EstimateCap + 1})"
        : $"SELECT COUNT(*) FROM {plan.From} WHERE {plan.Where}";

    public static string Facet(ListPlan plan, QueryField field, string? bucket)
    {
        var value = bucket switch
        {
            "year" => $"substr({field.Sql}, 1, 4)",
            "month" => $"substr({field.Sql}, 1, 7)",
            _ => field.Sql,
        };
        return field.Related is { } related
            ? $"SELECT {value} AS Value, COUNT(DISTINCT {plan.Resource.Id.Sql}) AS Count FROM {plan.From} JOIN {related.Table} ON {related.Link} WHERE {plan.Where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100"
            : $"SELECT {value} AS Value, COUNT(*) AS Count FROM {plan.From} WHERE {plan.Where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100";
    }

    /// <summary>Every curated kind's FTS5 matches with a passage (snippet) and the bm25 rank.</summary>
    private const string SearchUnion = """
        SELECT 'agreement' AS Kind, a.id AS Id, a.title AS Title, snippet(agreement_fts, -1, '[', ']', '…', 12) AS Snippet, bm25(agreement_fts) AS Rank
        FROM agreement_fts JOIN agreement a ON a.id = agreement_fts.id WHERE agreement_fts MATCH @q AND 'agreement' IN @kinds
        UNION ALL
        SELECT 'event', e.id, e.title, snippet(event_fts, -1, '[', ']', '…', 12), bm25(event_fts)
        FROM event_fts JOIN event e ON e.id = event_fts.id WHERE event_fts MATCH @q AND 'event' IN @kinds
        UNION ALL
        SELECT 'source', s.id, COALESCE(s.title, s.id), snippet(source_fts, -1, '[', ']', '…', 12), bm25(source_fts)
        FROM source_fts JOIN source s ON s.id = source_fts.id WHERE source_fts MATCH @q AND 'source' IN @kinds
        UNION ALL
        SELECT 'claim', c.id, c.text, snippet(claim_fts, -1, '[', ']', '…', 12), bm25(claim_fts)
        FROM claim_fts JOIN claim c ON c.id = claim_fts.id WHERE claim_fts MATCH @q AND 'claim' IN @kinds
        """;

    /// <summary>A page of /v1/search: best rank first, then kind and id; after a cursor, strictly after its (rank, kind, id).</summary>
    public static CommandDefinition Search(SearchPlan plan, CancellationToken cancellationToken)
    {
        var after = plan.After;
        var sql = $"SELECT Kind, Id, Title, Snippet, Rank FROM ({SearchUnion}) "
            + (after is null ? "" : "WHERE (Rank > @rank OR (Rank = @rank AND (Kind > @kind OR (Kind = @kind AND Id > @id)))) ")
            + "ORDER BY Rank, Kind, Id LIMIT @take";
        var parameters = new
        {
            q = plan.Match, kinds = plan.Kinds, take = plan.Limit + 1,
            rank = after is null ? 0d : Convert.ToDouble(after[0], CultureInfo.InvariantCulture), kind = after?[1], id = after?[2],
        };
        return new CommandDefinition(sql, parameters, cancellationToken: cancellationToken);
    }
}

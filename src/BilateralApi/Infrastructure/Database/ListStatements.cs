using System.Globalization;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// The statements of one list plan, the same text on every store: the keyset page, the count and the
/// facets. The store adds only its full-text join (a subquery fts of fts_kind, fts_id and fts_rank, with
/// its parameters), which <see cref="From"/> carries.
/// </summary>
public sealed class ListStatements(ListPlan plan, string? fullTextJoin = null, DynamicParameters? fullTextParameters = null)
{
    /// <summary>Which rows of a nullable first sort key a page statement reads.</summary>
    public enum Part { All, Values, Nulls }

    public ListPlan Plan { get; } = plan;

    public string From { get; } = fullTextJoin is null ? plan.From : $"{plan.From} {fullTextJoin}";

    /// <summary>
    /// The sort keys' ORDER BY. A part (<see cref="Part.Values"/>, <see cref="Part.Nulls"/>) holds no NULL or only
    /// NULLs of the first key, so its NULLS LAST is left out: the order is the same, and an index serves it in
    /// either direction on both stores (SQLite's indexes put NULLs first, PostgreSQL's last; NULLS LAST on a
    /// descending key is a sort on PostgreSQL, on an ascending one a sort on SQLite).
    /// </summary>
    public static string OrderBy(ListPlan plan, Part part = Part.All) =>
        string.Join(", ", plan.Keys.Select((k, i) => $"{k.Sql} {(k.Descending ? "DESC" : "ASC")}{(k.Nullable && (i > 0 || part == Part.All) ? " NULLS LAST" : "")}"));

    /// <summary>
    /// The page statement: rows after the keyset position <paramref name="after"/> (null: from the start),
    /// in order, at most @q_limit (the caller asks for limit + 1 to know whether there is a next page). The
    /// sort keys are selected after the row's columns, for the next cursor.
    /// <para>
    /// A nullable first key has its NULLs at the end of the order, so "after the cursor" is a range of values
    /// followed by the NULLs, which no single index range covers (an OR of the two makes the store walk the
    /// index from its start: page n costs n pages). <see cref="Part.Values"/> reads the values after the
    /// cursor (or, with no position, all values) with a range seek, <see cref="Part.Nulls"/> the NULL rows
    /// after it (or all of them); see <see cref="StoreListExecutor"/>.
    /// </para>
    /// </summary>
    public string Page(object?[]? after, Part part = Part.All)
    {
        var keys = string.Join(", ", Plan.Keys.Select((k, i) => $"{k.Sql} AS q_k{i}"));
        var first = Plan.Keys[0];
        var where = Plan.Where;
        var condition = (after, part) switch
        {
            (null, Part.All) => where,
            (null, Part.Values) => $"({where}) AND {first.Sql} IS NOT NULL",
            (null, Part.Nulls) => $"({where}) AND {first.Sql} IS NULL",
            (not null, Part.All) => $"({where}) AND {Keyset(after)}",
            (not null, Part.Values) => $"({where}) AND {first.Sql} IS NOT NULL AND {first.Sql} {(first.Descending ? "<=" : ">=")} @q_k0 AND {Keyset(after)}",
            // After a NULL, the keyset orders the NULL rows by the other keys.
            (not null, Part.Nulls) => $"({where}) AND {first.Sql} IS NULL AND {Keyset(after)}",
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
        return $"SELECT {Plan.Resource.Columns}, {keys} FROM {From} WHERE {condition} ORDER BY {OrderBy(Plan, part)} LIMIT @q_limit";
    }

    /// <summary>
    /// Rows strictly after the cursor position in the sort order, for any mix of directions and NULLs
    /// (NULLs sort last in both directions): OR over i of (keys before i equal AND key i after). Which
    /// cursor values are NULL is known here, so a NULL is compared with IS NULL in the text and never
    /// travels as a parameter (PostgreSQL cannot type a NULL parameter compared with nothing). A leading
    /// range on the first key lets the store seek in an index instead of scanning.
    /// </summary>
    private string Keyset(object?[] after)
    {
        var keys = Plan.Keys;
        var alternatives = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            // After a NULL only NULLs follow, and those are equal on this key: nothing is strictly after it.
            if (after[i] is null)
            {
                continue;
            }
            var parts = new List<string>();
            for (var j = 0; j < i; j++)
            {
                parts.Add(after[j] is null ? $"{keys[j].Sql} IS NULL" : $"{keys[j].Sql} = @q_k{j}");
            }
            var key = keys[i];
            var later = $"{key.Sql} {(key.Descending ? "<" : ">")} @q_k{i}";
            parts.Add(key.Nullable ? $"({later} OR {key.Sql} IS NULL)" : later);
            alternatives.Add("(" + string.Join(" AND ", parts) + ")");
        }
        if (alternatives.Count == 0)
        {
            return "1 = 0";
        }
        var first = keys[0];
        var seek = first.Nullable || after[0] is null ? "" : $"{first.Sql} {(first.Descending ? "<=" : ">=")} @q_k0 AND ";
        return $"({seek}({string.Join(" OR ", alternatives)}))";
    }

    /// <summary>The plan's WHERE values, the full-text match, the row limit and the cursor's (non-NULL) key values.</summary>
    public DynamicParameters Parameters(object?[]? after, int take)
    {
        var parameters = new DynamicParameters(Plan.Sql.Parameters);
        if (fullTextParameters is not null)
        {
            parameters.AddDynamicParams(fullTextParameters);
        }
        parameters.Add("q_limit", take);
        for (var i = 0; after is not null && i < after.Length; i++)
        {
            if (after[i] is not null)
            {
                parameters.Add("q_k" + i.ToString(CultureInfo.InvariantCulture), after[i]);
            }
        }
        return parameters;
    }

    public string Count(CountMode mode) => mode == CountMode.Estimate
        ? $"SELECT COUNT(*) FROM (SELECT 1 FROM {From} WHERE {Plan.Where} LIMIT {ListPlan.EstimateCap + 1}) q_rows"
        : $"SELECT COUNT(*) FROM {From} WHERE {Plan.Where}";

    public string Facet(QueryField field, string? bucket)
    {
        var value = bucket switch
        {
            "year" => $"substr({field.Sql}, 1, 4)",
            "month" => $"substr({field.Sql}, 1, 7)",
            _ => field.Sql,
        };
        return field.Related is { } related
            ? $"SELECT {value} AS Value, COUNT(DISTINCT {Plan.Resource.Id.Sql}) AS Count FROM {From} JOIN {related.Table} ON {related.Link} WHERE {Plan.Where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100"
            : $"SELECT {value} AS Value, COUNT(*) AS Count FROM {From} WHERE {Plan.Where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100";
    }
}

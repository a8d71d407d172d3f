namespace BilateralApi.Querying;

/// <summary>How a queryable field's values are written in filter= and compared in SQL.</summary>
public enum FieldType
{
    /// <summary>Text compared as written; contains()/startswith() apply.</summary>
    Text,
    /// <summary>A code from a code list or an id: text, compared exactly.</summary>
    Code,
    /// <summary>A country: alpha-3, alpha-2 or numeric on input, compared as alpha-3.</summary>
    Country,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>A decimal number stored as REAL.</summary>
    Number,
    /// <summary>Money: a decimal number of US dollars stored as INTEGER cents.</summary>
    Money,
    /// <summary>A partial date (YYYY, YYYY-MM, YYYY-MM-DD) stored as earliest/latest day; compared by overlap.</summary>
    Date,
    /// <summary>A flag stored as 0/1: true or false.</summary>
    Boolean,
}

/// <summary>A child table a field lives in: matched with EXISTS so that conditions on it work inside 'or'.</summary>
/// <param name="Table">The child table with its alias, e.g. "agreement_party p".</param>
/// <param name="Link">The join condition to the list's row, e.g. "p.agreement_id = a.id".</param>
public sealed record RelatedRows(string Table, string Link);

/// <summary>
/// One queryable field of a list: its API name, the whitelisted SQL expression behind it and what the
/// query language may do with it. Slices declare these once; <see cref="ListQuery"/> does the rest.
/// </summary>
public sealed record QueryField(string Name, string Sql, FieldType Type)
{
    /// <summary>The latest-day column of a <see cref="FieldType.Date"/> (Sql is the earliest day).</summary>
    public string? EndSql { get; init; }

    /// <summary>Whether sort= may name it (never for related-row fields).</summary>
    public bool Sortable { get; init; } = true;

    /// <summary>Whether the SQL expression can be NULL: its sort puts NULLs last and its keyset handles them.</summary>
    public bool Nullable { get; init; }

    /// <summary>Set for paths into related rows (parties.country): conditions become EXISTS over them.</summary>
    public RelatedRows? Related { get; init; }

    /// <summary>Whether facet= may name it.</summary>
    public bool Facetable { get; init; } = true;

    /// <summary>An example value of its per-field parameter (<see cref="FieldParameters"/>); numbers, dates, booleans and countries have defaults.</summary>
    public string? Example { get; init; }

    public static QueryField InRelated(string name, string sql, FieldType type, RelatedRows related) =>
        new(name, sql, type) { Related = related, Sortable = false };
}

/// <summary>Everything the query language needs to know about one list resource.</summary>
public sealed record QueryResource
{
    /// <summary>The collection name as in the path, e.g. "agreements" (also binds cursors).</summary>
    public required string Name { get; init; }

    /// <summary>The FROM clause of the row table with its alias if any, e.g. "agreement a".</summary>
    public required string From { get; init; }

    /// <summary>The row columns selected (Dapper maps them onto the slice's row class).</summary>
    public required string Columns { get; init; }

    /// <summary>The unique id expression, the last tie-breaker of every sort.</summary>
    public required QueryField Id { get; init; }

    public required IReadOnlyList<QueryField> Fields { get; init; }

    /// <summary>An example filter= expression for this list's documentation.</summary>
    public string? FilterExample { get; init; }

    /// <summary>Sort when none is given, e.g. ["date"]; the id is appended. May name <see cref="OrderFields"/>.</summary>
    public IReadOnlyList<string> DefaultSort { get; init; } = [];

    /// <summary>Expressions only the default order uses (not for filter=, sort=, facet=), e.g. a date's precision.</summary>
    public IReadOnlyList<QueryField> OrderFields { get; init; } = [];

    /// <summary>
    /// What a cursor is bound to besides the query string (default: <see cref="Name"/>), for a list whose
    /// rows depend on its path, e.g. the timeline of one pair.
    /// </summary>
    public string? CursorScope { get; init; }

    /// <summary>
    /// The tables whose text q= searches (empty: no q=). One table matches a row by <see cref="Id"/>; a list
    /// over several (the timeline) says how a match joins its row in <see cref="FullTextOn"/>.
    /// </summary>
    public IReadOnlyList<TextTable> FullText { get; init; } = [];

    /// <summary>
    /// How the store's matches (a subquery fts of fts_kind, fts_id and fts_rank, lower is better) join the
    /// list's row. Default: fts.fts_id = the id.
    /// </summary>
    public string? FullTextOn { get; init; }

    public bool HasFullText => FullText.Count > 0;

    public string FullTextCondition => FullTextOn ?? $"fts.fts_id = {Id.Sql}";

    public IReadOnlyList<string> SearchFields { get; init; } = [];

    private Dictionary<string, QueryField>? _byName;

    public QueryField? Field(string name)
    {
        _byName ??= Fields.Append(Id).GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _byName.GetValueOrDefault(name);
    }

    public IEnumerable<string> FieldNames => Fields.Append(Id).Select(f => f.Name).Distinct(StringComparer.Ordinal);
}

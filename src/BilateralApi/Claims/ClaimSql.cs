using BilateralApi.Querying;

namespace BilateralApi.Claims;

internal static class ClaimSql
{
    /// <summary>What filter=, sort=, facet= and q= may use on GET /v1/claims. value is stored as exact decimal text; it is compared as a number.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "claims",
        From = "claim",
        Columns = Columns,
        Id = new("id", "claim.id", FieldType.Code) { Example = "seed-article-israel-oil-share-40" },
        Fields =
        [
            new("text", "claim.text", FieldType.Text) { Facetable = false, Example = "Around 40 percent of Israel’s oil imports come from Azerbaijan." },
            new("indicator", "indicator", FieldType.Code),
            new("reporter", "reporter", FieldType.Country) { Nullable = true },
            new("partner", "partner", FieldType.Country) { Nullable = true },
            new("flow", "flow", FieldType.Code) { Nullable = true },
            new("hs", "hs", FieldType.Code) { Nullable = true },
            new("period", "period_start", FieldType.Date) { EndSql = "period_end", Nullable = true },
            new("value", "CAST(value AS REAL)", FieldType.Number) { Nullable = true, Facetable = false },
            new("unit", "unit", FieldType.Code),
            new("qualifier", "qualifier", FieldType.Code) { Nullable = true },
            new("basis", "basis", FieldType.Code),
            new("createdAt", "claim.created_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            new("updatedAt", "claim.updated_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            QueryField.InRelated("citations.sourceId", "c.source_id", FieldType.Code, new("citation c", "c.record_kind = 'claim' AND c.record_id = claim.id")) with { Example = "seed-article" },
        ],
        FullText = [TextTable.Claims],
        FilterExample = "indicator eq 'importPartnerShare' and value ge 30",
        SearchFields = ["text", "notes"],
    };

    public const string Columns = """
        id AS Id, text AS Text, indicator AS Indicator, reporter AS Reporter, partner AS Partner, partners AS Partners, flow AS Flow, hs AS Hs,
        period_value AS PeriodValue, period_to AS PeriodTo, period_inferred AS PeriodInferred,
        period_start AS PeriodStart, period_end AS PeriodEnd, value AS Value, value_to AS ValueTo,
        unit AS Unit, qualifier AS Qualifier, basis AS Basis, notes AS Notes,
        created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version
        """;

    public const string GetById = $"SELECT {Columns} FROM claim WHERE id = @id";

    public const string VersionOf = "SELECT version FROM claim WHERE id = @id";

    /// <summary>The list statement; {0} is the WHERE built from whitelisted filters.</summary>
    public const string List = $"SELECT {Columns} FROM claim WHERE {{0}} ORDER BY id LIMIT @limit";

    /// <summary>country=: either side; a claim with no partner (or reporter) still matches on the other side, also under "none of".</summary>
    public const string CountryEitherSide = "((reporter IS NOT NULL AND reporter IN {0}) OR (partner IS NOT NULL AND partner IN {0}))";

    /// <summary>pair=A,B: reporter and partner are the two countries, in either direction.</summary>
    public const string PairBoth = "((reporter = {0} AND partner = {1}) OR (reporter = {1} AND partner = {0}))";

    /// <summary>The hs column for prefix filters: a claim about no particular goods matches "none of" prefixes.</summary>
    public const string HsColumn = "COALESCE(hs, '')";

    /// <summary>sourceId=: claims with a citation of any of the sources ({0}).</summary>
    public const string CitesSource = "EXISTS (SELECT 1 FROM citation c WHERE c.record_kind = 'claim' AND c.record_id = claim.id AND c.source_id IN {0})";

    public const string Insert = """
        INSERT INTO claim (id, text, indicator, reporter, partner, partners, flow, hs, period_value, period_to, period_inferred,
            period_start, period_end, value, value_to, unit, qualifier, basis, notes, created_at, updated_at, version)
        VALUES (@Id, @Text, @Indicator, @Reporter, @Partner, @Partners, @Flow, @Hs, @PeriodValue, @PeriodTo, @PeriodInferred,
            @PeriodStart, @PeriodEnd, @Value, @ValueTo, @Unit, @Qualifier, @Basis, @Notes, @CreatedAt, @UpdatedAt, @Version)
        """;

    public const string Update = """
        UPDATE claim SET text = @Text, indicator = @Indicator, reporter = @Reporter, partner = @Partner, partners = @Partners, flow = @Flow, hs = @Hs,
            period_value = @PeriodValue, period_to = @PeriodTo, period_inferred = @PeriodInferred,
            period_start = @PeriodStart, period_end = @PeriodEnd, value = @Value, value_to = @ValueTo,
            unit = @Unit, qualifier = @Qualifier, basis = @Basis, notes = @Notes, updated_at = @UpdatedAt, version = @Version
        WHERE id = @Id
        """;

    public const string Delete = "DELETE FROM claim WHERE id = @id";

    public const string IdExists = "SELECT EXISTS (SELECT 1 FROM claim WHERE id = @id)";
}

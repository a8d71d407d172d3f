namespace BilateralApi.TradeAnalytics;

/// <summary>
/// SQL of the trade analytics. Every statement aggregates in the store (integer cents summed by SQLite,
/// exact) and groups to a handful of rows; C# only assembles those groups. {0}-style holes take
/// whitelisted fragments only, never input.
/// </summary>
internal static class TradeAnalyticsSql
{
    /// <summary>
    /// The rows a trade figure counts (docs/decisions/0012-analytics.md): all transport modes together
    /// (transport_mode 0), and for each (reporter, partner, year, flow, hs) the annual row when one is
    /// stored, else the monthly rows of that year. The NOT EXISTS probe uses the natural-key index
    /// ux_trade_record_key (its COALESCE(month, 0) expression), so it is one index lookup per row.
    /// Needs the trade table aliased as t. Only countries' own reports of HS codes count (decision 0028):
    /// a reconciled figure (BACI) restates both partners' reports and would count the flow twice, and a
    /// SITC or EBOPS code is not the HS code it may look like.
    /// </summary>
    public const string Counted = """
        t.transport_mode = 0 AND t.origin = 'reported' AND t.classification IN ('HS', 'H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6')
        AND (t.month IS NULL OR NOT EXISTS (
            SELECT 1 FROM trade_record y
            WHERE y.reporter = t.reporter AND y.partner = t.partner AND y.year = t.year AND COALESCE(y.month, 0) = 0
              AND y.flow = t.flow AND y.hs = t.hs AND y.transport_mode = 0
              AND y.classification = t.classification AND y.origin = 'reported'))
        """;

    /// <summary>The aggregate columns of every figure: exact cents, weight, and how many rows lack them.</summary>
    public const string Aggregates = """
        COUNT(*) AS Rows, COUNT(t.month) AS MonthlyRows,
        SUM(t.value_usd_cents) AS ValueCents, COUNT(*) - COUNT(t.value_usd_cents) AS RowsWithoutValue,
        SUM(t.net_weight_kg) AS WeightKg, COUNT(*) - COUNT(t.net_weight_kg) AS RowsWithoutWeight
        """;

    /// <summary>Both directions of a pair, exports and imports, per year and reporter (ix_trade_record_pair_year, once per direction).</summary>
    public const string Balance = $"""
        SELECT t.year AS Year, t.reporter AS Reporter, t.flow AS Flow, {Aggregates}
        FROM trade_record t
        WHERE ((t.reporter = @a AND t.partner = @b) OR (t.reporter = @b AND t.partner = @a))
          AND t.flow IN ('X', 'M') AND t.hs = @hs AND t.year BETWEEN @yearFrom AND @yearTo AND {Counted}
        GROUP BY t.year, t.reporter, t.flow
        ORDER BY t.year
        """;

    /// <summary>A reporter's flow of one HS code per year, split into the partner asked about, the World row and all other partners (ix_trade_record_reporter_flow_hs_year).</summary>
    public const string PartnerShare = $"""
        SELECT t.year AS Year,
               CASE WHEN t.partner = @partner THEN 'partner' WHEN t.partner = 'WLD' THEN 'world' ELSE 'others' END AS Part,
               COUNT(DISTINCT t.partner) AS Partners, {Aggregates}
        FROM trade_record t
        WHERE t.reporter = @reporter AND t.flow = @flow AND t.hs = @hs AND t.year BETWEEN @yearFrom AND @yearTo AND {Counted}
        GROUP BY t.year, Part
        ORDER BY t.year
        """;

    /// <summary>The rows behind a partner share (for a claim check): the partner's, the World's and every other partner's.</summary>
    public const string PartnerShareRows = $"""
        SELECT t.id AS Id, t.reporter AS Reporter, t.partner AS Partner, t.year AS Year, t.month AS Month, t.flow AS Flow, t.hs AS Hs,
               t.value_usd_cents AS ValueUsdCents, t.net_weight_kg AS NetWeightKg, t.source_id AS SourceId
        FROM trade_record t
        WHERE t.reporter = @reporter AND t.flow = @flow AND t.hs = @hs AND t.year BETWEEN @yearFrom AND @yearTo AND {Counted}
        ORDER BY t.year, t.partner = 'WLD' DESC, t.partner = @partner DESC, t.partner, t.month
        """;

    /// <summary>Partners ranked; {0} is the whitelisted ranking expression of the basis.</summary>
    public const string TopPartners = $$"""
        SELECT t.partner AS Partner, {{Aggregates}}
        FROM trade_record t
        WHERE t.reporter = @reporter AND t.flow = @flow AND t.hs = @hs AND t.year BETWEEN @yearFrom AND @yearTo
          AND t.partner <> 'WLD' AND {{Counted}}
        GROUP BY t.partner
        ORDER BY {0} DESC NULLS LAST, t.partner
        LIMIT @limit
        """;

    /// <summary>Totals the ranking is measured against: the sum over partners and the reported World row.</summary>
    public const string TopPartnersTotals = $"""
        SELECT CASE WHEN t.partner = 'WLD' THEN 'world' ELSE 'others' END AS Part, COUNT(DISTINCT t.partner) AS Partners, {Aggregates}
        FROM trade_record t
        WHERE t.reporter = @reporter AND t.flow = @flow AND t.hs = @hs AND t.year BETWEEN @yearFrom AND @yearTo AND {Counted}
        GROUP BY Part
        """;

    /// <summary>Commodities at one HS level ranked; {0} is the ranking expression (ix_trade_record_pair_year).</summary>
    public const string TopCommodities = $$"""
        SELECT t.hs AS Hs, c.description AS Description, {{Aggregates}}
        FROM trade_record t LEFT JOIN commodity c ON c.code = t.hs
        WHERE t.reporter = @reporter AND t.partner = @partner AND t.flow = @flow AND t.year BETWEEN @yearFrom AND @yearTo
          AND length(t.hs) = @digits AND t.hs <> 'TOTAL' AND {{Counted}}
        GROUP BY t.hs, c.description
        ORDER BY {0} DESC NULLS LAST, t.hs
        LIMIT @limit
        """;

    /// <summary>The total of the same flow, against which commodity shares are measured.</summary>
    public const string TopCommoditiesTotal = $"""
        SELECT {Aggregates}
        FROM trade_record t
        WHERE t.reporter = @reporter AND t.partner = @partner AND t.flow = @flow AND t.year BETWEEN @yearFrom AND @yearTo
          AND t.hs = 'TOTAL' AND {Counted}
        """;

    /// <summary>Ranking keys: null (ranked last) when a row of the group lacks the figure, as the figure shown is then null too.</summary>
    public const string ByValue = "CASE WHEN COUNT(t.value_usd_cents) = COUNT(*) THEN SUM(t.value_usd_cents) END";

    public const string ByWeight = "CASE WHEN COUNT(t.net_weight_kg) = COUNT(*) THEN SUM(t.net_weight_kg) END";

    /// <summary>The rows of a mirror comparison: A's report of a flow with B and B's report of the opposite flow with A.</summary>
    private const string MirrorRows = $"""
        FROM trade_record t
        WHERE ((t.reporter = @reporter AND t.partner = @partner AND t.flow = @flow)
            OR (t.reporter = @partner AND t.partner = @reporter AND t.flow = @mirrorFlow))
          AND t.hs = @hs AND t.year BETWEEN @yearFrom AND @yearTo AND {Counted}
        """;

    /// <summary>What A reports for a flow with B against what B reports for the opposite flow with A, per year.</summary>
    public const string Mirror = $"""
        SELECT t.year AS Year, t.reporter AS Reporter, {Aggregates}
        {MirrorRows}
        GROUP BY t.year, t.reporter
        ORDER BY t.year
        """;

    /// <summary>
    /// The value bases of each side's rows, per year. A statement of its own rather than a list aggregate in
    /// <see cref="Mirror"/>: SQLite's group_concat(DISTINCT …) and PostgreSQL's string_agg(DISTINCT …, ',') differ,
    /// and this reads the same on both.
    /// </summary>
    public const string MirrorBases = $"""
        SELECT DISTINCT t.year AS Year, t.reporter AS Reporter, t.value_basis AS ValueBasis
        {MirrorRows}
        """;

    /// <summary>Group-by over stored rows; {0} the grouping columns, {1} the WHERE of the filters, {2} GROUP BY / ORDER BY list.</summary>
    public const string Summary = $$"""
        SELECT {0}, {{Aggregates}}, MIN(t.value_usd_cents) AS MinValueCents, MAX(t.value_usd_cents) AS MaxValueCents
        FROM trade_record t
        WHERE {1}
        GROUP BY {2}
        ORDER BY {2}
        LIMIT @limit
        """;
}

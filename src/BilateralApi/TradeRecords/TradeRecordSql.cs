using BilateralApi.Querying;

namespace BilateralApi.TradeRecords;

internal static class TradeRecordSql
{
    /// <summary>What filter=, sort= and facet= may use on GET /v1/trade-records.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "trade-records",
        From = "trade_record",
        Columns = Columns,
        Id = new("id", "trade_record.id", FieldType.Integer),
        Fields =
        [
            new("reporter", "reporter", FieldType.Country),
            new("partner", "partner", FieldType.Country),
            new("year", "year", FieldType.Integer),
            new("month", "month", FieldType.Integer) { Nullable = true },
            new("flow", "flow", FieldType.Code),
            new("hs", "hs", FieldType.Code),
            new("transportMode", "transport_mode", FieldType.Integer),
            new("valueUsd", "value_usd_cents", FieldType.Money) { Nullable = true, Facetable = false },
            new("netWeightKg", "net_weight_kg", FieldType.Number) { Nullable = true, Facetable = false },
            new("quantity", "quantity", FieldType.Number) { Nullable = true, Facetable = false },
            new("quantityUnit", "quantity_unit", FieldType.Code) { Nullable = true, Example = "kg" },
            new("valueBasis", "value_basis", FieldType.Code),
            new("estimated", "estimated", FieldType.Boolean),
            new("sourceId", "source_id", FieldType.Code),
            new("classification", "classification", FieldType.Code) { Example = "HS,H6" },
            new("origin", "origin", FieldType.Code) { Example = "reported" },
            new("createdAt", "trade_record.created_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            new("updatedAt", "trade_record.updated_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
        ],
        FilterExample = "flow eq 'X' and valueUsd gt 1000000",
    };

    public const string Columns = """
        id AS Id, reporter AS Reporter, partner AS Partner, year AS Year, month AS Month, flow AS Flow, hs AS Hs,
        transport_mode AS TransportMode, value_usd_cents AS ValueUsdCents, net_weight_kg AS NetWeightKg,
        quantity AS Quantity, quantity_unit AS QuantityUnit, value_basis AS ValueBasis, estimated AS Estimated,
        source_id AS SourceId, created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version,
        classification AS Classification, origin AS Origin
        """;

    public const string GetById = $"SELECT {Columns} FROM trade_record WHERE id = @id";

    public const string VersionOf = "SELECT version FROM trade_record WHERE id = @id";

    /// <summary>
    /// The row with the natural key of @-parameters (other than @Id), if any. The month is compared as
    /// COALESCE(month, 0), the expression of the unique index, so annual rows clash too and the index is used.
    /// </summary>
    public const string ByNaturalKey = $"""
        SELECT {Columns} FROM trade_record
        WHERE reporter = @Reporter AND partner = @Partner AND year = @Year AND COALESCE(month, 0) = COALESCE(@Month, 0)
          AND flow = @Flow AND hs = @Hs AND transport_mode = @TransportMode
          AND classification = @Classification AND origin = @Origin AND id <> @Id
        """;

    /// <summary>The list statement; {0} is the WHERE built from whitelisted filters.</summary>
    public const string List = $"SELECT {Columns} FROM trade_record WHERE {{0}} ORDER BY id LIMIT @limit";

    /// <summary>
    /// A new row takes the id after the largest, as SQLite's rowid does by itself and as bulk imports do on both stores
    /// (a PostgreSQL identity would never give a deleted newest id again, and versions continue after a tombstone only
    /// if it is given again the same way everywhere). Writers hold the write lock, so MAX(id) cannot race.
    /// </summary>
    public const string Insert = """
        INSERT INTO trade_record (id, reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg,
            quantity, quantity_unit, value_basis, estimated, source_id, created_at, updated_at, version, classification, origin)
        VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM trade_record), @Reporter, @Partner, @Year, @Month, @Flow, @Hs, @TransportMode, @ValueUsdCents, @NetWeightKg,
            @Quantity, @QuantityUnit, @ValueBasis, @Estimated, @SourceId, @CreatedAt, @UpdatedAt, 1, @Classification, @Origin)
        RETURNING id
        """;

    /// <summary>The first version of a row whose id an earlier, deleted row had (see ChangeLog.LastVersion).</summary>
    public const string SetVersion = "UPDATE trade_record SET version = @version WHERE id = @id";

    public const string Update = """
        UPDATE trade_record SET reporter = @Reporter, partner = @Partner, year = @Year, month = @Month, flow = @Flow, hs = @Hs,
            transport_mode = @TransportMode, value_usd_cents = @ValueUsdCents, net_weight_kg = @NetWeightKg, quantity = @Quantity,
            quantity_unit = @QuantityUnit, value_basis = @ValueBasis, estimated = @Estimated, source_id = @SourceId,
            classification = @Classification, origin = @Origin, updated_at = @UpdatedAt, version = version + 1
        WHERE id = @Id
        """;

    public const string Delete = "DELETE FROM trade_record WHERE id = @id";
}

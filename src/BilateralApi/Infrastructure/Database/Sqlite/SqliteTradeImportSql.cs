namespace BilateralApi.Infrastructure.Database.Sqlite;

/// <summary>
/// The statements of the bulk import. Each is prepared once per import and re-executed with new
/// parameter values for every row. The natural-key clash is handled by the statement itself
/// (ON CONFLICT on the unique index ux_trade_record_key), so a row costs one statement, not a
/// lookup and a write.
/// </summary>
internal static class SqliteTradeImportSql
{
    private const string InsertColumns = """
        INSERT INTO trade_record (reporter, partner, year, month, flow, hs, transport_mode, value_usd_cents, net_weight_kg,
            quantity, quantity_unit, value_basis, estimated, source_id, created_at, updated_at, version, classification, origin)
        VALUES (@reporter, @partner, @year, @month, @flow, @hs, @transportMode, @valueUsdCents, @netWeightKg,
            @quantity, @quantityUnit, @valueBasis, @estimated, @sourceId, @now, @now, 1, @classification, @origin)
        """;

    /// <summary>insert and skip-existing: changes one row (the new id is last_insert_rowid), or none when the natural key is taken.</summary>
    public const string InsertOrNothing = $"""
        {InsertColumns}
        ON CONFLICT DO NOTHING
        """;

    /// <summary>
    /// upsert: inserts, or updates the row with the same natural key only when a stored value differs
    /// (then its version is bumped). Returns id and version (1 = inserted), or no row when nothing differed.
    /// The conflict target is the expression of the unique index (annual rows have month NULL).
    /// </summary>
    public const string Upsert = $"""
        {InsertColumns}
        ON CONFLICT (reporter, partner, year, COALESCE(month, 0), flow, hs, transport_mode, classification, origin) DO UPDATE SET
            month = excluded.month, value_usd_cents = excluded.value_usd_cents, net_weight_kg = excluded.net_weight_kg,
            quantity = excluded.quantity, quantity_unit = excluded.quantity_unit, value_basis = excluded.value_basis,
            estimated = excluded.estimated, source_id = excluded.source_id, updated_at = excluded.updated_at,
            version = trade_record.version + 1
        WHERE trade_record.value_usd_cents IS NOT excluded.value_usd_cents
           OR trade_record.net_weight_kg IS NOT excluded.net_weight_kg
           OR trade_record.quantity IS NOT excluded.quantity
           OR trade_record.quantity_unit IS NOT excluded.quantity_unit
           OR trade_record.value_basis IS NOT excluded.value_basis
           OR trade_record.estimated IS NOT excluded.estimated
           OR trade_record.source_id IS NOT excluded.source_id
        RETURNING id, version
        """;

    /// <summary>Which import wrote which version of a row, for the versions a created range does not say (decisions 0029, 0037).</summary>
    public const string RecordImportedVersion = """
        INSERT INTO trade_record_import (import_seq, record_id, version, created) VALUES (?1, ?2, ?3, ?4)
        """;

    /// <summary>A run of consecutive ids an import created at version 1 (decision 0037).</summary>
    public const string RecordCreatedRange = """
        INSERT INTO trade_import_range (import_seq, first_id, last_id) VALUES (?1, ?2, ?3)
        """;

    /// <summary>The id of the stored row with the natural key (for rows that were not written: clashes, skips, unchanged).</summary>
    public const string IdByNaturalKey = """
        SELECT id FROM trade_record
        WHERE reporter = @reporter AND partner = @partner AND year = @year AND COALESCE(month, 0) = COALESCE(@month, 0)
          AND flow = @flow AND hs = @hs AND transport_mode = @transportMode AND classification = @classification AND origin = @origin
        """;
}

namespace BilateralApi.Benchmarks;

/// <summary>
/// A trade record as the bare references read it (Dapper straight from the table, none of the API's code),
/// for the by-id endpoint and the export reference alike.
/// </summary>
internal sealed class BareTradeRow
{
    public const string Columns = "id AS Id, reporter AS Reporter, partner AS Partner, year AS Year, month AS Month, flow AS Flow, hs AS Hs, transport_mode AS TransportMode, value_usd_cents AS ValueUsdCents, net_weight_kg AS NetWeightKg, quantity AS Quantity, quantity_unit AS QuantityUnit, value_basis AS ValueBasis, estimated AS Estimated, source_id AS SourceId, created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version";

    public long Id { get; set; }
    public string Reporter { get; set; } = "";
    public string Partner { get; set; } = "";
    public long Year { get; set; }
    public long? Month { get; set; }
    public string Flow { get; set; } = "";
    public string Hs { get; set; } = "";
    public long TransportMode { get; set; }
    public long? ValueUsdCents { get; set; }
    public double? NetWeightKg { get; set; }
    public double? Quantity { get; set; }
    public string? QuantityUnit { get; set; }
    public string ValueBasis { get; set; } = "";
    public long Estimated { get; set; }
    public string SourceId { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public long Version { get; set; }
}

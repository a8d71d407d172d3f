using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Querying;
using Dapper;

namespace BilateralApi.TradeRecords;

/// <summary>A trade record row as stored: money in integer cents, flags as 0/1.</summary>
public sealed class TradeRecordRow : IVersionedRow
{
    public long Id { get; set; }
    public string Reporter { get; set; } = "";
    public string Partner { get; set; } = "";
    public long Year { get; set; }
    public long? Month { get; set; }
    public string Flow { get; set; } = "";
    public string Hs { get; set; } = "";
    public long TransportMode { get; set; }
    public long? ValueUsdCents { get; set; }
    public decimal? NetWeightKg { get; set; }
    public decimal? Quantity { get; set; }
    public string? QuantityUnit { get; set; }
    public string ValueBasis { get; set; } = "";
    public long Estimated { get; set; }
    public string SourceId { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public long Version { get; set; }
    public string Classification { get; set; } = TradeClassifications.Default;
    public string Origin { get; set; } = TradeClassifications.Reported;

    public const decimal CentsPerDollar = 100m;

    /// <summary>Decimal division is exact here: cents / 100 has at most two decimal places.</summary>
    public decimal? ValueUsd => ValueUsdCents is { } cents ? cents / CentsPerDollar : null;

    public TradeRecordResponse ToResponse() => new(Id, Reporter, Partner, (int)Year, (int?)Month, Flow, Hs, (int)TransportMode,
        ValueUsd, NetWeightKg, Quantity, QuantityUnit, ValueBasis, Estimated != 0, SourceId,
        Clock.Parse(CreatedAt), Clock.Parse(UpdatedAt), Version, Classification, Origin);

    public TradeRecordWrite ToWrite() => new(Reporter, Partner, (int)Year, (int?)Month, Flow, Hs, (int)TransportMode,
        ValueUsd, NetWeightKg, Quantity, QuantityUnit, ValueBasis, Estimated != 0, SourceId, Classification, Origin);

    /// <summary>The stored form of a validated write: countries as alpha-3, defaults filled in, money in cents.</summary>
    public static TradeRecordRow From(TradeRecordWrite write, CountryCatalog countries, string now) => new()
    {
        Reporter = countries.Normalize(write.Reporter)!,
        Partner = countries.Normalize(write.Partner)!,
        Year = write.Year!.Value,
        Month = write.Month,
        Flow = write.Flow!,
        Hs = write.Hs!,
        TransportMode = write.TransportMode ?? 0,
        // Validated to whole cents, so the product is an integer and the conversion exact.
        ValueUsdCents = write.ValueUsd is { } usd ? decimal.ToInt64(usd * CentsPerDollar) : null,
        NetWeightKg = write.NetWeightKg,
        Quantity = write.Quantity,
        QuantityUnit = write.QuantityUnit,
        ValueBasis = write.ValueBasis ?? "unknown",
        Estimated = write.Estimated == true ? 1 : 0,
        SourceId = write.SourceId!,
        Classification = write.Classification ?? TradeClassifications.Default,
        Origin = write.Origin ?? TradeClassifications.Reported,
        CreatedAt = now,
        UpdatedAt = now,
    };
}

/// <summary>
/// Trade records: integer ids chosen by the store and a unique natural key (reporter, partner, year,
/// month, flow, hs, transportMode, classification, origin). A write whose key another row already has answers
/// <see cref="WriteStatus.AlreadyExists"/> with that other row, so the caller can name it.
/// </summary>
public sealed class TradeRecordRepository(SqliteConnectionFactory connections, CountryCatalog countries, ChangeLog changes, TimeProvider time)
{
    /// <summary>The resource name in the change log (its path segment).</summary>
    public const string Resource = "trade-records";

    public async Task<TradeRecordRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TradeRecordRow>(new CommandDefinition(TradeRecordSql.GetById, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>POST: inserts a new row; a row with the same natural key is a conflict.</summary>
    public async Task<WriteResult<TradeRecordRow>> CreateAsync(TradeRecordWrite write, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var row = TradeRecordRow.From(write, countries, Clock.Now(time));
        if (await FindByKeyAsync(scope, row, cancellationToken) is { } existing)
        {
            return new(WriteStatus.AlreadyExists, existing);
        }
        await InsertAsync(scope, row, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new(WriteStatus.Created, row);
    }

    /// <summary>
    /// PUT and PATCH: replaces an existing row, subject to the request's preconditions. Never creates:
    /// the store chooses integer ids, so an unknown id is <see cref="WriteStatus.NotFound"/>.
    /// </summary>
    public async Task<WriteResult<TradeRecordRow>> ReplaceAsync(long id, TradeRecordWrite write, Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var current = await scope.Connection.QuerySingleOrDefaultAsync<TradeRecordRow>(new CommandDefinition(TradeRecordSql.GetById, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        if (current is null)
        {
            return new(WriteStatus.NotFound);
        }
        var outcome = precondition(current.Version);
        if (outcome != Preconditions.Outcome.Proceed)
        {
            return new(WriteResult.Refused(outcome));
        }
        var row = TradeRecordRow.From(write, countries, Clock.Now(time));
        row.Id = id;
        if (await FindByKeyAsync(scope, row, cancellationToken) is { } other)
        {
            return new(WriteStatus.AlreadyExists, other);
        }
        if (WriteResult.SameContent(current.ToWrite(), row.ToWrite()))
        {
            return new(WriteStatus.Unchanged, current);
        }
        await UpdateAsync(scope, row, current, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new(WriteStatus.Updated, row);
    }

    /// <summary>
    /// Inserts the row, or replaces the row with the same natural key, inside the caller's transaction
    /// (the seed loader; an upserting import can use it too). The write must already be validated.
    /// </summary>
    public async Task<WriteResult<TradeRecordRow>> UpsertAsync(IWriteScope scope, TradeRecordWrite write, CancellationToken cancellationToken)
    {
        var row = TradeRecordRow.From(write, countries, Clock.Now(time));
        if (await FindByKeyAsync(scope, row, cancellationToken) is { } current)
        {
            if (WriteResult.SameContent(current.ToWrite(), row.ToWrite()))
            {
                return new(WriteStatus.Unchanged, current);
            }
            row.Id = current.Id;
            await UpdateAsync(scope, row, current, cancellationToken);
            return new(WriteStatus.Updated, row);
        }
        await InsertAsync(scope, row, cancellationToken);
        return new(WriteStatus.Created, row);
    }

    public async Task<WriteResult<TradeRecordRow>> DeleteAsync(long id, Func<long?, Preconditions.Outcome> precondition, CancellationToken cancellationToken)
    {
        await using var scope = await connections.BeginWriteAsync(cancellationToken);
        var (stop, version) = await WriteResult.DeletableVersionAsync(scope, TradeRecordSql.VersionOf, id, precondition, cancellationToken);
        if (stop is { } status)
        {
            return new(status);
        }
        await scope.Connection.ExecuteAsync(new CommandDefinition(TradeRecordSql.Delete, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        await changes.RecordAsync(scope, Resource, Id(id), WriteStatus.Deleted, version, null, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new(WriteStatus.Deleted);
    }

    /// <summary>Another row (not <paramref name="row"/>'s id) with the natural key of <paramref name="row"/>.</summary>
    private static Task<TradeRecordRow?> FindByKeyAsync(IWriteScope scope, TradeRecordRow row, CancellationToken cancellationToken) =>
        scope.Connection.QuerySingleOrDefaultAsync<TradeRecordRow>(new CommandDefinition(TradeRecordSql.ByNaturalKey, row, scope.Transaction, cancellationToken: cancellationToken));

    private async Task InsertAsync(IWriteScope scope, TradeRecordRow row, CancellationToken cancellationToken)
    {
        row.Id = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition(TradeRecordSql.Insert, row, scope.Transaction, cancellationToken: cancellationToken));
        // The store takes the highest id again after that record's delete: continue after its tombstone.
        row.Version = await ChangeLog.FirstVersionAsync(scope, Resource, Id(row.Id), cancellationToken);
        if (row.Version > 1)
        {
            await scope.Connection.ExecuteAsync(new CommandDefinition(TradeRecordSql.SetVersion, new { id = row.Id, version = row.Version }, scope.Transaction, cancellationToken: cancellationToken));
        }
        await changes.RecordAsync(scope, Resource, Id(row.Id), WriteStatus.Created, row.Version, row.ToResponse(), cancellationToken);
    }

    private async Task UpdateAsync(IWriteScope scope, TradeRecordRow row, TradeRecordRow current, CancellationToken cancellationToken)
    {
        row.CreatedAt = current.CreatedAt;
        row.Version = current.Version + 1;
        await scope.Connection.ExecuteAsync(new CommandDefinition(TradeRecordSql.Update, row, scope.Transaction, cancellationToken: cancellationToken));
        await changes.RecordAsync(scope, Resource, Id(row.Id), WriteStatus.Updated, row.Version, row.ToResponse(), cancellationToken);
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

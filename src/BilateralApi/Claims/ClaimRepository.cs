using Microsoft.Data.Sqlite;
using System.Globalization;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Querying;
using BilateralApi.Sources;
using Dapper;

namespace BilateralApi.Claims;

/// <summary>A claim row as stored, with its citations once loaded.</summary>
public sealed class ClaimRow : IWritableRow<ClaimWrite>
{
    public string Id { get; set; } = "";
    public string Text { get; set; } = "";
    public string Indicator { get; set; } = "";
    public string? Reporter { get; set; }
    public string? Partner { get; set; }

    /// <summary>A group of partners as comma-separated alpha-3 codes in the source's order; null for one partner.</summary>
    public string? Partners { get; set; }
    public string? Flow { get; set; }
    public string? Hs { get; set; }
    public string? PeriodValue { get; set; }
    public string? PeriodTo { get; set; }
    public long PeriodInferred { get; set; }
    public string? PeriodStart { get; set; }
    public string? PeriodEnd { get; set; }

    /// <summary>The exact decimal as invariant text: never a binary floating-point number on its way through the store.</summary>
    public string? Value { get; set; }

    public string? ValueTo { get; set; }
    public string Unit { get; set; } = "";
    public string? Qualifier { get; set; }
    public string Basis { get; set; } = "";
    public string? Notes { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public long Version { get; set; }

    /// <summary>Not a column: filled from the citation table.</summary>
    public IReadOnlyList<Citation> Citations { get; set; } = [];

    public ClaimResponse ToResponse() => new(Id, Text, Indicator, Reporter, Partner, PartnerList(), Flow, Hs, Period(),
        Value is null ? null : ParseDecimal(Value), ValueTo is null ? null : ParseDecimal(ValueTo), Unit, Qualifier, Basis, Notes, Citations,
        Clock.Parse(CreatedAt), Clock.Parse(UpdatedAt), Version);

    public ClaimWrite ToWrite() => new(Id, Text, Indicator, Reporter, Partner, Flow, Hs, Period(),
        Value is null ? null : ParseDecimal(Value), ValueTo is null ? null : ParseDecimal(ValueTo), Unit, Qualifier, Basis, Notes, Citations, PartnerList());

    /// <summary>The row for a validated write; countries are stored in their canonical alpha-3 form.</summary>
    public static ClaimRow From(string id, ClaimWrite write, CountryCatalog countries, string now)
    {
        var bounds = write.Period?.Bounds();
        return new()
        {
            Id = id,
            Text = write.Text!.Trim(),
            Indicator = write.Indicator!,
            Reporter = countries.Normalize(write.Reporter),
            Partner = countries.Normalize(write.Partner),
            Partners = write.Partners is { } group ? string.Join(',', group.Select(p => countries.Normalize(p))) : null,
            Flow = write.Flow,
            Hs = write.Hs,
            PeriodValue = write.Period?.Value,
            PeriodTo = write.Period?.To,
            PeriodInferred = write.Period?.Inferred == true ? 1 : 0,
            PeriodStart = bounds?.Start,
            PeriodEnd = bounds?.End,
            Value = write.Value is { } value ? FormatDecimal(value) : null,
            ValueTo = write.ValueTo is { } to ? FormatDecimal(to) : null,
            Unit = write.Unit!,
            Qualifier = write.Qualifier,
            Basis = write.Basis!,
            Notes = write.Notes,
            Citations = write.Citations!,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private IReadOnlyList<string>? PartnerList() => Partners?.Split(',');

    private DateValue? Period() => DateValue.FromStored(PeriodValue, PeriodTo, PeriodInferred != 0);

    private static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}

public sealed class ClaimRepository(SqliteConnectionFactory connections, CountryCatalog countries, VersionedWrites writes) : IVersionedTable<ClaimRow, ClaimWrite>
{
    /// <summary>The resource name in the change log (its path segment).</summary>
    public const string Resource = "claims";

    public async Task<ClaimRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(ClaimSql.GetById, new { id }, cancellationToken: cancellationToken));
        if (row is not null)
        {
            row.Citations = [.. (await CitationStore.LoadAsync(connection, CitationStore.Claim, [id], cancellationToken))[id]];
        }
        return row;
    }

    /// <summary>The citations of a whole page of rows in one statement.</summary>
    internal static async Task LoadCitationsAsync(SqliteConnection connection, IReadOnlyList<ClaimRow> rows, CancellationToken cancellationToken)
    {
        var citations = await CitationStore.LoadAsync(connection, CitationStore.Claim, rows.Select(r => r.Id).ToList(), cancellationToken);
        foreach (var row in rows)
        {
            row.Citations = [.. citations[row.Id]];
        }
    }

    VersionedWrites IVersionedTable<ClaimRow, ClaimWrite>.Writes => writes;

    string IVersionedTable<ClaimRow, ClaimWrite>.Resource => Resource;

    string IVersionedTable<ClaimRow, ClaimWrite>.IdExistsSql => ClaimSql.IdExists;

    string IVersionedTable<ClaimRow, ClaimWrite>.VersionOfSql => ClaimSql.VersionOf;

    string IVersionedTable<ClaimRow, ClaimWrite>.SlugSource(ClaimWrite write) => write.Text!;

    ClaimRow IVersionedTable<ClaimRow, ClaimWrite>.Build(string id, ClaimWrite write, string now) => ClaimRow.From(id, write, countries, now);

    object IVersionedTable<ClaimRow, ClaimWrite>.Representation(ClaimRow row) => row.ToResponse();

    async Task<ClaimRow?> IVersionedTable<ClaimRow, ClaimWrite>.CurrentAsync(IWriteScope scope, string id, CancellationToken cancellationToken)
    {
        var current = await scope.Connection.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(ClaimSql.GetById, new { id }, scope.Transaction, cancellationToken: cancellationToken));
        if (current is not null)
        {
            current.Citations = [.. (await CitationStore.LoadAsync(scope.Connection, CitationStore.Claim, [id], cancellationToken, scope.Transaction))[id]];
        }
        return current;
    }

    async Task<ClaimRow> IVersionedTable<ClaimRow, ClaimWrite>.SaveAsync(IWriteScope scope, ClaimRow row, bool created, CancellationToken cancellationToken)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(created ? ClaimSql.Insert : ClaimSql.Update, row, scope.Transaction, cancellationToken: cancellationToken));
        await CitationStore.ReplaceAsync(scope, CitationStore.Claim, row.Id, row.Citations, cancellationToken);
        return row;
    }

    // No other record points at a claim.
    Task<bool> IVersionedTable<ClaimRow, ClaimWrite>.InUseAsync(IWriteScope scope, string id, CancellationToken cancellationToken) => Task.FromResult(false);

    async Task IVersionedTable<ClaimRow, ClaimWrite>.RemoveAsync(IWriteScope scope, string id, CancellationToken cancellationToken)
    {
        await CitationStore.DeleteAsync(scope, CitationStore.Claim, id, cancellationToken);
        await scope.Connection.ExecuteAsync(new CommandDefinition(ClaimSql.Delete, new { id }, scope.Transaction, cancellationToken: cancellationToken));
    }
}

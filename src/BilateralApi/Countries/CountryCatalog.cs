using Dapper;

namespace BilateralApi.Countries;

/// <summary>
/// Resolves a country given as ISO 3166-1 alpha-3, alpha-2 or numeric (M49) code to its canonical
/// alpha-3. Read once from the store after migrations (reference data changes only by migration).
/// </summary>
public sealed class CountryCatalog
{
    private Dictionary<string, string> _byAnyCode = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, CountryRow> _byAlpha3 = new(StringComparer.Ordinal);

    public async Task LoadAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<CountryRow>(new CommandDefinition(CountrySql.All, cancellationToken: cancellationToken))).ToList();
        var byAny = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            byAny[row.Alpha3] = row.Alpha3;
            if (row.Alpha2 is { Length: > 0 } a2)
            {
                byAny[a2] = row.Alpha3;
            }
            if (row.Numeric is { Length: > 0 } numeric)
            {
                byAny[numeric] = row.Alpha3;
                byAny[numeric.TrimStart('0').PadLeft(1, '0')] = row.Alpha3; // "31" as well as "031"
            }
        }
        _byAnyCode = byAny;
        _byAlpha3 = rows.ToDictionary(r => r.Alpha3, StringComparer.Ordinal);
    }

    public bool TryResolve(string? code, out string alpha3)
    {
        alpha3 = string.Empty;
        if (string.IsNullOrWhiteSpace(code) || !_byAnyCode.TryGetValue(code.Trim(), out var found))
        {
            return false;
        }
        alpha3 = found;
        return true;
    }

    public bool IsKnown(string? code) => TryResolve(code, out _);

    /// <summary>The canonical alpha-3 of a validated code; null stays null.</summary>
    public string? Normalize(string? code) => code is null ? null : TryResolve(code, out var alpha3) ? alpha3 : code;

    public CountryRow? Get(string alpha3) => _byAlpha3.GetValueOrDefault(alpha3);
}

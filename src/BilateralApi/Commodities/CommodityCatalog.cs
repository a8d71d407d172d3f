using Dapper;

namespace BilateralApi.Commodities;

/// <summary>
/// The HS codes the store knows. Trade data accepts TOTAL, any known code, and any well-formed 4- or
/// 6-digit code whose chapter exists.
/// </summary>
public sealed class CommodityCatalog
{
    private HashSet<string> _codes = new(StringComparer.Ordinal);

    public async Task LoadAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        var codes = await connection.QueryAsync<string>(new CommandDefinition("SELECT code FROM commodity", cancellationToken: cancellationToken));
        _codes = codes.ToHashSet(StringComparer.Ordinal);
    }

    public bool Contains(string code) => _codes.Contains(code);

    public bool IsAcceptable(string? code) =>
        code is not null &&
        (_codes.Contains(code) ||
         (code.Length is 2 or 4 or 6 && code.All(char.IsAsciiDigit) && _codes.Contains(code[..2])));
}

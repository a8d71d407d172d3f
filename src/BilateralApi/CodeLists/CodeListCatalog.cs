using Dapper;

namespace BilateralApi.CodeLists;

/// <summary>
/// The controlled vocabularies, read once from the store after migrations; validators ask it
/// whether a code exists. Reference data only changes through migrations, so the cache never goes stale.
/// </summary>
public sealed class CodeListCatalog
{
    private Dictionary<string, List<CodeListEntryRow>> _lists = new(StringComparer.Ordinal);

    public async Task LoadAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<CodeListEntryRow>(new CommandDefinition(CodeListSql.All, cancellationToken: cancellationToken));
        _lists = rows.GroupBy(r => r.List, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> ListNames => _lists.Keys;

    public IReadOnlyList<CodeListEntryRow> Entries(string list) => _lists.TryGetValue(list, out var entries) ? entries : [];

    public bool Contains(string list, string? code) =>
        code is not null && _lists.TryGetValue(list, out var entries) && entries.Exists(e => e.Code == code);

    public bool Contains(string list, string parent, string? code) =>
        code is not null && _lists.TryGetValue(list, out var entries) && entries.Exists(e => e.Code == code && e.Parent == parent);

    public CodeListEntryRow? Find(string list, string? code) =>
        code is null || !_lists.TryGetValue(list, out var entries) ? null : entries.Find(e => e.Code == code);

    /// <summary>"a, b, c" for error messages: the distinct codes of a list (under one parent when given).</summary>
    public string Allowed(string list, string? parent = null) =>
        string.Join(", ", Entries(list).Where(e => parent is null || e.Parent == parent).Select(e => e.Code).Distinct(StringComparer.Ordinal));
}

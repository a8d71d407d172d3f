using System.Text;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Querying;

/// <summary>
/// Turns q= into an FTS5 MATCH expression. In plain mode user text never reaches FTS5 syntax: each
/// whitespace-separated word becomes a quoted string (quotes doubled), and the words are ANDed. In raw
/// mode the text is passed as FTS5 syntax. searchFields become an FTS5 column filter.
/// </summary>
public static class FullText
{
    public const int MaxLength = 500;

    public static string? Escape(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }
        var match = new StringBuilder();
        foreach (var word in words)
        {
            match.Append(match.Length == 0 ? "" : " ").Append('"').Append(word.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        return match.ToString();
    }

    /// <summary>SQLite refused a raw (searchMode=raw) expression: the generic SQLITE_ERROR is what FTS5 raises for bad syntax.</summary>
    public static bool IsSyntaxError(SqliteException exception) => exception.SqliteErrorCode == 1;

    public static ValidationProblem InvalidRawSyntax() =>
        Problems.Parameter("q", "The search is not valid FTS5 syntax (searchMode=raw); use searchMode=plain for words.");

    public static string Scope(string match, IReadOnlyList<string> columns) =>
        columns.Count == 0 ? match : $"{{{string.Join(' ', columns)}}} : ({match})";
}

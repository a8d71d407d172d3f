using System.Text;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Querying;

/// <summary>
/// A table of curated records with searchable text, as every store sees it: the record kind, the table,
/// the SQL of a hit's title ({0}: the table's alias), and the searchable fields (as searchFields= names them) with their columns.
/// Each store keeps its own index over these columns (SQLite: an FTS5 table {Table}_fts whose columns are
/// the field names; PostgreSQL: the generated search_vector column) and writes the matching SQL itself.
/// </summary>
public sealed record TextTable(string Kind, string Table, string TitleSql, IReadOnlyList<(string Field, string Column)> Columns)
{
    public static readonly TextTable Agreements = new("agreement", "agreement", "{0}.title",
        [("title", "title"), ("shortTitle", "short_title"), ("summary", "summary"), ("place", "place"), ("notes", "notes")]);

    public static readonly TextTable Events = new("event", "event", "{0}.title",
        [("title", "title"), ("summary", "summary"), ("place", "location_place"), ("notes", "notes")]);

    public static readonly TextTable Sources = new("source", "source", "COALESCE({0}.title, {0}.id)",
        [("title", "title"), ("author", "author"), ("publisher", "publisher"), ("notes", "notes")]);

    public static readonly TextTable Claims = new("claim", "claim", "{0}.text", [("text", "text"), ("notes", "notes")]);

    /// <summary>What /v1/search searches, in the order of <see cref="SearchPlan.AllKinds"/>.</summary>
    public static readonly IReadOnlyList<TextTable> All = [Agreements, Events, Sources, Claims];

    public IEnumerable<string> Fields => Columns.Select(c => c.Field);

    public string Title(string alias) => string.Format(System.Globalization.CultureInfo.InvariantCulture, TitleSql, alias);
}

/// <summary>
/// A q= as the planner validated it: the text, whether it is the raw query syntax (searchMode=raw) and the
/// searchFields it is limited to (empty: all). The store writes the match from it (<see cref="FullText"/>).
/// </summary>
public sealed record FullTextQuery(string Text, bool Raw, IReadOnlyList<string> Fields)
{
    /// <summary>The raw query's syntax tree (null in plain mode), checked by the planner: every store takes the same syntax.</summary>
    public FullText.RawNode? Parsed { get; init; }

    /// <summary>A plain query, or a raw one parsed (<see cref="FullText.ParseRaw"/>); null: raw text that is not the syntax.</summary>
    public static FullTextQuery? Create(string text, bool raw, IReadOnlyList<string> fields)
    {
        if (!raw)
        {
            return new(text, false, fields);
        }
        try
        {
            return new(text, true, fields) { Parsed = FullText.ParseRaw(text) };
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// The rules of q= shared by the stores. Plain mode: each whitespace-separated word is matched literally
/// as a phrase of its tokens (so user text never reaches query syntax), and all words must occur. Raw
/// mode: the query syntax (<see cref="ParseRaw"/>).
/// </summary>
public static class FullText
{
    public const int MaxLength = 500;

    public static IReadOnlyList<string> Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Plain mode as one FTS5 expression: each word a quoted string (quotes doubled), the strings ANDed.</summary>
    public static string? Escape(string text)
    {
        var words = Words(text);
        if (words.Count == 0)
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

    public const string InvalidRawMessage = "The search is not valid query syntax (searchMode=raw: words, \"phrases\", prefix*, AND, OR, NOT, parentheses); use searchMode=plain for words.";

    public static ValidationProblem InvalidRawSyntax() => Problems.Parameter("q", InvalidRawMessage);

    /// <summary>
    /// Raw mode's portable syntax, FTS5's query syntax without its column filters, NEAR and ^: barewords
    /// (letters, digits, _ and any non-ASCII character), "phrases" (a quote doubled inside), a trailing *
    /// for a prefix, AND, OR, binary NOT (a NOT b: a and not b) and parentheses. As in FTS5, phrases side
    /// by side are ANDed and bind tightest (but a parenthesis is never ANDed by position: write AND), then
    /// NOT, then AND, then OR.
    /// </summary>
    /// <exception cref="FormatException">Not that syntax.</exception>
    public static RawNode ParseRaw(string text) => new RawParser(text).Parse();

    /// <summary>A node of a raw query.</summary>
    public abstract record RawNode
    {
        /// <summary>A bareword or a quoted phrase, its text as written (quotes undone), perhaps a prefix.</summary>
        public sealed record Term(string Text, bool Prefix) : RawNode;

        public sealed record And(RawNode Left, RawNode Right) : RawNode;

        public sealed record Or(RawNode Left, RawNode Right) : RawNode;

        /// <summary>Left and not right.</summary>
        public sealed record AndNot(RawNode Left, RawNode Right) : RawNode;
    }

    private sealed class RawParser(string text)
    {
        private int _at;

        public RawNode Parse()
        {
            var node = ParseOr();
            Skip();
            return _at == text.Length ? node : throw Error();
        }

        private RawNode ParseOr()
        {
            var node = ParseAnd();
            while (Keyword("OR"))
            {
                node = new RawNode.Or(node, ParseAnd());
            }
            return node;
        }

        private RawNode ParseAnd()
        {
            var node = ParseNot();
            while (Keyword("AND"))
            {
                node = new RawNode.And(node, ParseNot());
            }
            return node;
        }

        private RawNode ParseNot()
        {
            var node = ParsePrimary();
            while (Keyword("NOT"))
            {
                node = new RawNode.AndNot(node, ParsePrimary());
            }
            return node;
        }

        /// <summary>A parenthesised expression, or phrases side by side (ANDed, binding tighter than any operator).</summary>
        private RawNode ParsePrimary()
        {
            Skip();
            if (_at < text.Length && text[_at] == '(')
            {
                _at++;
                var inner = ParseOr();
                Skip();
                if (_at == text.Length || text[_at] != ')')
                {
                    throw Error();
                }
                _at++;
                return inner;
            }
            RawNode node = ParsePhrase();
            while (StartsPhrase())
            {
                node = new RawNode.And(node, ParsePhrase());
            }
            return node;
        }

        private RawNode.Term ParsePhrase()
        {
            Skip();
            if (_at == text.Length)
            {
                throw Error();
            }
            string term;
            if (text[_at] == '"')
            {
                var phrase = new StringBuilder();
                _at++;
                while (true)
                {
                    if (_at == text.Length)
                    {
                        throw Error();
                    }
                    if (text[_at] == '"')
                    {
                        if (_at + 1 < text.Length && text[_at + 1] == '"')
                        {
                            phrase.Append('"');
                            _at += 2;
                            continue;
                        }
                        _at++;
                        break;
                    }
                    phrase.Append(text[_at++]);
                }
                term = phrase.ToString();
            }
            else if (IsBare(text[_at]) && !AtKeyword())
            {
                var start = _at;
                while (_at < text.Length && IsBare(text[_at]))
                {
                    _at++;
                }
                term = text[start.._at];
            }
            else
            {
                throw Error();
            }
            var prefix = _at < text.Length && text[_at] == '*';
            if (prefix)
            {
                _at++;
            }
            return new RawNode.Term(term, prefix);
        }

        private bool StartsPhrase()
        {
            Skip();
            return _at < text.Length && (text[_at] == '"' || (IsBare(text[_at]) && !AtKeyword()));
        }

        private bool AtKeyword() => IsKeyword("AND") || IsKeyword("OR") || IsKeyword("NOT") || IsKeyword("NEAR");

        private bool IsKeyword(string keyword) =>
            string.CompareOrdinal(text, _at, keyword, 0, keyword.Length) == 0
            && (_at + keyword.Length == text.Length || !IsBare(text[_at + keyword.Length]));

        private bool Keyword(string keyword)
        {
            Skip();
            if (!IsKeyword(keyword))
            {
                return false;
            }
            _at += keyword.Length;
            return true;
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private static bool IsBare(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c > 127 || c == '\u001a';

        private FormatException Error() => new($"Syntax error at position {_at}.");
    }
}

using System.Globalization;
using System.Text;

namespace BilateralApi.Querying;

/// <summary>A filter= expression could not be read or names something the list does not have.</summary>
public sealed class FilterException(int position, string? token, string message, IReadOnlyList<string>? allowed = null, string? suggestion = null) : Exception(message)
{
    /// <summary>1-based character position in the expression.</summary>
    public int Position { get; } = position;
    public string? Token { get; } = token;
    public IReadOnlyList<string>? Allowed { get; } = allowed;
    public string? Suggestion { get; } = suggestion;
}

/// <summary>The parsed form of a filter= expression.</summary>
public abstract record FilterNode
{
    public sealed record And(FilterNode Left, FilterNode Right) : FilterNode;
    public sealed record Or(FilterNode Left, FilterNode Right) : FilterNode;
    public sealed record Not(FilterNode Inner) : FilterNode;
    public sealed record Compare(FilterToken Field, string Op, FilterToken Value) : FilterNode;
    public sealed record In(FilterToken Field, IReadOnlyList<FilterToken> Values) : FilterNode;
    public sealed record Call(FilterToken Function, FilterToken Field, FilterToken Value) : FilterNode;
}

public enum FilterTokenKind { Identifier, String, Number, LeftParen, RightParen, Comma, End }

/// <summary>A token with its 1-based position; Text is the unescaped value for strings.</summary>
public sealed record FilterToken(FilterTokenKind Kind, string Text, int Position, string Raw)
{
    public bool IsWord(string word) => Kind == FilterTokenKind.Identifier && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The filter= language (docs/querying.md): a tokenizer and a recursive-descent parser.
/// <code>
/// expr    := and ('or' and)*
/// and     := unary ('and' unary)*
/// unary   := 'not' unary | primary
/// primary := '(' expr ')' | fn '(' field ',' literal ')' | field op literal | field 'in' '(' literal (',' literal)* ')'
/// op      := eq | ne | gt | ge | lt | le          fn := contains | startswith
/// literal := 'text' ('' escapes a quote) | number | true | false | null
/// </code>
/// 'and' binds tighter than 'or'; keywords are case-insensitive; field names are case-sensitive.
/// </summary>
public static class FilterParser
{
    public const int MaxLength = 2000;
    public const int MaxConditions = 50;
    public const int MaxDepth = 16;
    public const int MaxListLength = 100;

    public static readonly string[] Operators = ["eq", "ne", "gt", "ge", "lt", "le"];
    private static readonly string[] Functions = ["contains", "startswith"];
    private static readonly string[] Reserved = ["and", "or", "not", "in", "eq", "ne", "gt", "ge", "lt", "le", "true", "false", "null"];

    public static FilterNode Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new FilterException(MaxLength + 1, null, $"The expression is longer than {MaxLength} characters.");
        }
        var parser = new Parser(Tokenize(text));
        var node = parser.Expression(0);
        var end = parser.Peek;
        if (end.Kind != FilterTokenKind.End)
        {
            throw new FilterException(end.Position, end.Raw, $"Unexpected '{end.Raw}': expected 'and', 'or' or the end of the expression.");
        }
        return node;
    }

    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            switch (c)
            {
                case '(':
                    tokens.Add(new(FilterTokenKind.LeftParen, "(", start + 1, "("));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new(FilterTokenKind.RightParen, ")", start + 1, ")"));
                    i++;
                    continue;
                case ',':
                    tokens.Add(new(FilterTokenKind.Comma, ",", start + 1, ","));
                    i++;
                    continue;
                case '\'':
                {
                    var value = new StringBuilder();
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new FilterException(start + 1, text[start..], "The text value is not closed: end it with ' (write '' for a quote inside).");
                        }
                        if (text[i] == '\'')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '\'')
                            {
                                value.Append('\'');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        value.Append(text[i++]);
                    }
                    tokens.Add(new(FilterTokenKind.String, value.ToString(), start + 1, text[start..i]));
                    continue;
                }
            }
            if (char.IsAsciiDigit(c) || (c is '-' or '+' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }
                var raw = text[start..i];
                if (!decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
                {
                    throw new FilterException(start + 1, raw, $"'{raw}' is not a number.");
                }
                tokens.Add(new(FilterTokenKind.Number, raw, start + 1, raw));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }
                var word = text[start..i];
                tokens.Add(new(FilterTokenKind.Identifier, word, start + 1, word));
                continue;
            }
            throw new FilterException(start + 1, c.ToString(), $"Unexpected character '{c}'. Text values are quoted: 'like this'.");
        }
        tokens.Add(new(FilterTokenKind.End, "", text.Length + 1, "end of expression"));
        return tokens;
    }

    private sealed class Parser(List<FilterToken> tokens)
    {
        private int _index;
        private int _conditions;

        public FilterToken Peek => tokens[_index];

        private FilterToken Next() => tokens[_index++];

        public FilterNode Expression(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FilterException(Peek.Position, Peek.Raw, $"The expression nests deeper than {MaxDepth} levels.");
            }
            var left = AndExpression(depth);
            while (Peek.IsWord("or"))
            {
                Next();
                left = new FilterNode.Or(left, AndExpression(depth));
            }
            return left;
        }

        private FilterNode AndExpression(int depth)
        {
            var left = Unary(depth);
            while (Peek.IsWord("and"))
            {
                Next();
                left = new FilterNode.And(left, Unary(depth));
            }
            return left;
        }

        private FilterNode Unary(int depth)
        {
            if (Peek.IsWord("not"))
            {
                Next();
                return new FilterNode.Not(Unary(depth + 1));
            }
            return Primary(depth);
        }

        private FilterNode Primary(int depth)
        {
            var token = Next();
            if (token.Kind == FilterTokenKind.LeftParen)
            {
                var inner = Expression(depth + 1);
                Expect(FilterTokenKind.RightParen, "')'");
                return inner;
            }
            if (token.Kind != FilterTokenKind.Identifier || Reserved.Any(token.IsWord))
            {
                throw new FilterException(token.Position, token.Raw, $"Expected a field name, 'not', '(' or contains(...)/startswith(...), not '{token.Raw}'.");
            }
            Count(token);
            if (Functions.Any(token.IsWord) && Peek.Kind == FilterTokenKind.LeftParen)
            {
                Next();
                var field = Expect(FilterTokenKind.Identifier, "a field name");
                Expect(FilterTokenKind.Comma, "','");
                var value = Literal();
                Expect(FilterTokenKind.RightParen, "')'");
                return new FilterNode.Call(token, field, value);
            }
            var op = Next();
            if (op.IsWord("in"))
            {
                Expect(FilterTokenKind.LeftParen, "'(' after 'in'");
                var values = new List<FilterToken> { Literal() };
                while (Peek.Kind == FilterTokenKind.Comma)
                {
                    Next();
                    values.Add(Literal());
                    if (values.Count > MaxListLength)
                    {
                        throw new FilterException(Peek.Position, Peek.Raw, $"An 'in' list has at most {MaxListLength} values.");
                    }
                }
                Expect(FilterTokenKind.RightParen, "')' or ','");
                return new FilterNode.In(token, values);
            }
            if (op.Kind != FilterTokenKind.Identifier || !Operators.Any(op.IsWord))
            {
                throw new FilterException(op.Position, op.Raw, $"Expected an operator after '{token.Text}': {string.Join(", ", Operators)} or in, not '{op.Raw}'.");
            }
            return new FilterNode.Compare(token, op.Text.ToLowerInvariant(), Literal());
        }

        private void Count(FilterToken token)
        {
            if (++_conditions > MaxConditions)
            {
                throw new FilterException(token.Position, token.Raw, $"The expression has more than {MaxConditions} conditions.");
            }
        }

        private FilterToken Literal()
        {
            var token = Next();
            if (token.Kind is FilterTokenKind.String or FilterTokenKind.Number || token.IsWord("true") || token.IsWord("false") || token.IsWord("null"))
            {
                return token;
            }
            throw new FilterException(token.Position, token.Raw, $"Expected a value ('text', a number, true, false or null), not '{token.Raw}'.");
        }

        private FilterToken Expect(FilterTokenKind kind, string what)
        {
            var token = Next();
            if (token.Kind != kind)
            {
                throw new FilterException(token.Position, token.Raw, $"Expected {what}, not '{token.Raw}'.");
            }
            return token;
        }
    }
}

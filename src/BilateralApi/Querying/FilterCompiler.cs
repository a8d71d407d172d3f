using System.Globalization;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Dates;

namespace BilateralApi.Querying;

/// <summary>
/// Turns a parsed filter= expression into one SQL condition over the resource's whitelisted field
/// expressions. Values become parameters; conditions on related rows become EXISTS subqueries, so
/// they combine freely with 'or' and 'not'.
/// </summary>
public sealed class FilterCompiler(QueryResource resource, SqlConditions sql, CountryCatalog countries)
{
    private const decimal MaxDollars = long.MaxValue / 100m;

    public string Compile(FilterNode node) => node switch
    {
        FilterNode.And and => $"({Compile(and.Left)} AND {Compile(and.Right)})",
        FilterNode.Or or => $"({Compile(or.Left)} OR {Compile(or.Right)})",
        FilterNode.Not not => $"(NOT {Compile(not.Inner)})",
        FilterNode.Compare compare => Scoped(compare.Field, field => Comparison(field, compare.Op, compare.Value)),
        FilterNode.In @in => Scoped(@in.Field, field => $"({string.Join(" OR ", @in.Values.Select(v => Comparison(field, "eq", v)))})"),
        FilterNode.Call call => Scoped(call.Field, field => Like(field, call.Function, call.Value)),
        _ => throw new InvalidOperationException("Unknown filter node."),
    };

    private string Scoped(FilterToken name, Func<QueryField, string> condition)
    {
        var field = Resolve(resource, name);
        var inner = condition(field);
        return field.Related is { } related ? $"EXISTS (SELECT 1 FROM {related.Table} WHERE {related.Link} AND {inner})" : inner;
    }

    public static QueryField Resolve(QueryResource resource, FilterToken name)
    {
        if (resource.Field(name.Text) is { } field)
        {
            return field;
        }
        var names = resource.FieldNames.ToList();
        var suggestion = Suggest(name.Text, names);
        throw new FilterException(name.Position, name.Raw,
            $"Unknown field '{name.Text}'." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?") + $" Fields: {string.Join(", ", names)}.",
            names, suggestion);
    }

    private string Comparison(QueryField field, string op, FilterToken value)
    {
        var column = field.Sql;
        if (value.IsWord("null"))
        {
            return op switch
            {
                "eq" => $"{column} IS NULL",
                "ne" => $"{column} IS NOT NULL",
                _ => throw new FilterException(value.Position, value.Raw, "null is compared only with eq and ne."),
            };
        }
        if (field.Type == FieldType.Date)
        {
            var (start, end) = DateBounds(field, value);
            var endColumn = field.EndSql ?? column;
            string Overlap() => $"({column} <= {sql.Param(end)} AND {endColumn} >= {sql.Param(start)})";
            return op switch
            {
                "eq" => NotNull(field, Overlap()),
                "ne" => $"({column} IS NULL OR NOT {Overlap()})",
                "gt" => NotNull(field, $"{column} > {sql.Param(end)}"),
                "ge" => NotNull(field, $"{endColumn} >= {sql.Param(start)}"),
                "lt" => NotNull(field, $"{endColumn} < {sql.Param(start)}"),
                _ => NotNull(field, $"{column} <= {sql.Param(end)}"),
            };
        }
        if (field.Type == FieldType.Boolean && op is not ("eq" or "ne"))
        {
            throw new FilterException(value.Position, value.Raw, $"'{field.Name}' is true or false: compare it with eq or ne.");
        }
        var parameter = sql.Param(Value(field, value));
        return op switch
        {
            "eq" => field.Nullable ? $"{column} IS NOT DISTINCT FROM {parameter}" : $"{column} = {parameter}",
            "ne" => $"{column} IS DISTINCT FROM {parameter}",
            "gt" => NotNull(field, $"{column} > {parameter}"),
            "ge" => NotNull(field, $"{column} >= {parameter}"),
            "lt" => NotNull(field, $"{column} < {parameter}"),
            _ => NotNull(field, $"{column} <= {parameter}"),
        };
    }

    /// <summary>
    /// Keeps the logic two-valued: a comparison with a NULL is false, never unknown, so that
    /// 'not (month gt 6)' includes the rows without a month, as a reader of the expression expects.
    /// </summary>
    private static string NotNull(QueryField field, string condition) =>
        field.Nullable || field.Related is not null ? $"({field.Sql} IS NOT NULL AND {condition})" : condition;

    private string Like(QueryField field, FilterToken function, FilterToken value)
    {
        if (field.Type is not (FieldType.Text or FieldType.Code or FieldType.Country))
        {
            throw new FilterException(function.Position, function.Raw, $"{function.Text.ToLowerInvariant()}() applies to text fields; '{field.Name}' is {field.Type.ToString().ToLowerInvariant()}.");
        }
        if (value.Kind != FilterTokenKind.String)
        {
            throw new FilterException(value.Position, value.Raw, $"{function.Text.ToLowerInvariant()}() takes a quoted text value.");
        }
        var escaped = value.Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        var pattern = function.IsWord("contains") ? $"%{escaped}%" : $"{escaped}%";
        // Case-insensitive for ASCII letters only, on both stores: SQLite's LIKE is that by itself; PostgreSQL's LIKE is
        // case-sensitive, and lower() of a COLLATE "C" column folds ASCII only. So both sides are lowered, the pattern here.
        return NotNull(field, $"lower({field.Sql}) LIKE {sql.Param(AsciiLower(pattern))} ESCAPE '\\'");
    }

    private static string AsciiLower(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + ('a' - 'A')) : source[i];
            }
        });

    private object Value(QueryField field, FilterToken value)
    {
        switch (field.Type)
        {
            case FieldType.Boolean:
                if (value.IsWord("true") || value.IsWord("false"))
                {
                    return value.IsWord("true") ? 1 : 0;
                }
                throw Expected(field, value, "true or false");
            case FieldType.Integer:
                if (value.Kind == FilterTokenKind.Number && long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return whole;
                }
                throw Expected(field, value, "a whole number");
            case FieldType.Number:
                if (value.Kind == FilterTokenKind.Number && double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    return number;
                }
                throw Expected(field, value, "a finite number");
            case FieldType.Money:
                // Stored as INTEGER cents: a value must fit in them (±92,233,720,368,547,758.07 dollars).
                if (value.Kind == FilterTokenKind.Number
                    && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var dollars)
                    && Math.Abs(dollars) <= MaxDollars)
                {
                    var cents = dollars * 100m;
                    return decimal.Truncate(cents) == cents ? (object)(long)cents : (double)cents;
                }
                throw Expected(field, value, $"a number of US dollars of at most {MaxDollars.ToString("N2", CultureInfo.InvariantCulture)}");
            case FieldType.Country:
                if (value.Kind == FilterTokenKind.String && countries.IsKnown(value.Text))
                {
                    return countries.Normalize(value.Text)!;
                }
                throw Expected(field, value, "a known country code in quotes, e.g. 'AZE'");
            default:
                if (value.Kind == FilterTokenKind.String)
                {
                    return value.Text;
                }
                throw Expected(field, value, "a quoted text value, e.g. 'abc'");
        }
    }

    private static (string Start, string End) DateBounds(QueryField field, FilterToken value)
    {
        if (value.Kind is FilterTokenKind.String or FilterTokenKind.Number && PartialDate.TryParse(value.Text, out var date))
        {
            return (PartialDate.Iso(date.Value.Start), PartialDate.Iso(date.Value.End));
        }
        throw Expected(field, value, "a date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'");
    }

    private static FilterException Expected(QueryField field, FilterToken value, string what) =>
        new(value.Position, value.Raw, $"'{field.Name}' takes {what}, not {value.Raw}.");

    /// <summary>The closest allowed name within a small edit distance, for "did you mean".</summary>
    public static string? Suggest(string name, IEnumerable<string> allowed) =>
        allowed.Select(a => (Name: a, Distance: Distance(name.ToLowerInvariant(), a.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(2, name.Length / 3))
            .OrderBy(x => x.Distance).Select(x => x.Name).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

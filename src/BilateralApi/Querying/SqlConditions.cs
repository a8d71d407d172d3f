using BilateralApi.Infrastructure.Database;
using Dapper;

namespace BilateralApi.Querying;

/// <summary>
/// Collects WHERE clauses for one list statement. Clauses are written by the slices from whitelisted
/// column names; every value travels as a Dapper parameter, never as SQL text.
/// </summary>
public sealed class SqlConditions
{
    private readonly List<string> _clauses = [];
    private int _next;

    public DynamicParameters Parameters { get; } = new();

    /// <summary>Adds a value and returns its parameter name (with '@').</summary>
    public string Param(object? value)
    {
        var name = "p" + _next++;
        Parameters.Add(name, value);
        return "@" + name;
    }

    /// <summary>Adds the values, one parameter each, and returns their parenthesised list for IN / NOT IN (<see cref="SqlLists"/>).</summary>
    public string List(IEnumerable<object?> values) => SqlLists.Expand(Parameters, "p" + _next++ + "_", values);

    public void Add(string clause) => _clauses.Add(clause);

    /// <summary>column IN (...) / NOT IN (...) / BETWEEN for a parsed value; <paramref name="convert"/> normalises each item.</summary>
    public void AddValue(string column, FilterValue value, Func<string, object?> convert)
    {
        switch (value)
        {
            case FilterValue.AnyOf any:
                _clauses.Add($"{column} IN {List(any.Values.Select(convert))}");
                break;
            case FilterValue.NoneOf none:
                _clauses.Add($"({column} IS NULL OR {column} NOT IN {List(none.Values.Select(convert))})");
                break;
            case FilterValue.Range range:
                if (range.Low is not null)
                {
                    _clauses.Add($"{column} >= {Param(convert(range.Low))}");
                }
                if (range.High is not null)
                {
                    _clauses.Add($"{column} <= {Param(convert(range.High))}");
                }
                break;
        }
    }

    public string Where => _clauses.Count == 0 ? "1 = 1" : string.Join(" AND ", _clauses);
}

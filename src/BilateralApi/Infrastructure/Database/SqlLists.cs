using System.Data.Common;
using System.Globalization;
using Dapper;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// A list of values in SQL that reads the same on both stores: <c>column IN (@ids0, @ids1, …)</c>, one named
/// parameter per value. Dapper expands a list parameter (<c>IN @ids</c>) into such a list on SQLite but hands Npgsql
/// one array, which <c>IN</c> does not take; and PostgreSQL's <c>= ANY(@ids)</c> is not SQLite. Lists here are
/// pages of ids and filter values (hundreds at most), far below either store's limit on parameters (SQLite 32,766,
/// PostgreSQL 65,535).
/// </summary>
public static class SqlLists
{
    /// <summary>
    /// An empty list as a subquery that returns no row: <c>IN ()</c> is not PostgreSQL, and this keeps the meaning
    /// on both stores (<c>x IN</c> it is false, <c>x NOT IN</c> it is true).
    /// </summary>
    public const string Empty = "(SELECT NULL WHERE 1 = 0)";

    /// <summary>
    /// Adds each value as a parameter of its own (<paramref name="name"/>0, <paramref name="name"/>1, …) and
    /// returns the parenthesised list of their names, for <c>IN</c> or <c>NOT IN</c>.
    /// </summary>
    public static string Expand<T>(DynamicParameters parameters, string name, IEnumerable<T> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var parameter = name + names.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(parameter, value);
            names.Add("@" + parameter);
        }
        return names.Count == 0 ? Empty : $"({string.Join(", ", names)})";
    }

    /// <summary>
    /// A statement whose <c>{0}</c> is a list of <paramref name="values"/> (see <see cref="Expand{T}"/>), with the
    /// other parameters of <paramref name="parameters"/> (an anonymous object, or null).
    /// </summary>
    public static CommandDefinition Command<T>(string template, IEnumerable<T> values, object? parameters = null,
        DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        var bound = new DynamicParameters(parameters);
        var sql = string.Format(CultureInfo.InvariantCulture, template, Expand(bound, "list", values));
        return new CommandDefinition(sql, bound, transaction, cancellationToken: cancellationToken);
    }
}

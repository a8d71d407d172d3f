using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// The code migration that loads the reference data shipped in data/reference (countries, HS
/// commodities, code lists). It renders the CSV files as one SQL script of INSERTs, so DbUp runs and
/// journals it like any other migration, in the same transaction handling. Later changes to those
/// files ship as new migrations.
/// </summary>
public static class ReferenceDataScript
{
    public const string Name = "0002_reference_data.csv.sql";

    public static string BuildSql()
    {
        var sql = new StringBuilder();
        foreach (var row in Read("Reference.countries.csv"))
        {
            Insert(sql, "country", ["alpha3", "alpha2", "numeric", "name", "official_name", "historical", "valid_from", "valid_to"],
                row["alpha3"], Null(row["alpha2"]), Null(row["numeric"]), row["name"], Null(row["officialName"]) ?? row["name"],
                row["historical"] == "true" ? 1 : 0, Null(row["validFrom"]), Null(row["validTo"]));
        }
        foreach (var row in Read("Reference.commodities.csv"))
        {
            Insert(sql, "commodity", ["code", "level", "parent", "description"],
                row["code"], row["level"], Null(row["parent"]), row["description"]);
        }
        var ordinal = 0;
        foreach (var row in Read("Reference.codelists.csv"))
        {
            Insert(sql, "code_list_entry", ["list", "code", "parent", "label", "description", "quad", "intensity", "cameo", "ordinal"],
                row["list"], row["code"], row["parent"], row["label"], row["description"],
                Null(row["quad"]) is { } quad ? int.Parse(quad, CultureInfo.InvariantCulture) : null,
                Null(row["intensity"]) is { } intensity ? double.Parse(intensity, CultureInfo.InvariantCulture) : null,
                Null(row["cameo"]), ordinal++);
        }
        return sql.ToString();
    }

    private static void Insert(StringBuilder sql, string table, string[] columns, params object?[] values)
    {
        sql.Append("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(") VALUES (");
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                sql.Append(", ");
            }
            sql.Append(values[i] switch
            {
                null => "NULL",
                int n => n.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
                var other => throw new InvalidOperationException($"Unsupported literal {other.GetType()}"),
            });
        }
        sql.Append(");\n");
    }

    private static List<Dictionary<string, string>> Read(string resource)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(EmbeddedData.Open(resource));
        var names = reader.Header.ColNames;
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                values[name] = row[name].ToString();
            }
            rows.Add(values);
        }
        return rows;
    }

    private static string? Null(string value) => value.Length == 0 ? null : value;
}

using BilateralApi.Countries;
using BilateralApi.Querying;

namespace BilateralApi.Tests.Querying;

public sealed class FilterParserTests
{
    private static readonly QueryResource Resource = new()
    {
        Name = "things",
        From = "thing t",
        Columns = "t.id AS Id",
        Id = new("id", "t.id", FieldType.Code),
        Fields =
        [
            new("title", "t.title", FieldType.Text),
            new("year", "t.year", FieldType.Integer),
            new("month", "t.month", FieldType.Integer) { Nullable = true },
            new("weight", "t.weight", FieldType.Number) { Nullable = true },
            new("valueUsd", "t.cents", FieldType.Money),
            new("signed", "t.signed_start", FieldType.Date) { EndSql = "t.signed_end" },
            new("flag", "t.flag", FieldType.Boolean),
            QueryField.InRelated("parties.country", "p.country", FieldType.Country, new("party p", "p.thing_id = t.id")),
        ],
    };

    private static readonly CountryCatalog Countries = LoadCountries();

    private static CountryCatalog LoadCountries()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE country (alpha3 TEXT, alpha2 TEXT, numeric TEXT, name TEXT, official_name TEXT, historical INTEGER, valid_from TEXT, valid_to TEXT, is_country INTEGER NOT NULL DEFAULT 1);
            INSERT INTO country (alpha3, alpha2, numeric, name, official_name, historical, valid_from, valid_to) VALUES ('AZE', 'AZ', '031', 'Azerbaijan', 'Republic of Azerbaijan', 0, NULL, NULL),
                                       ('ISR', 'IL', '376', 'Israel', 'State of Israel', 0, NULL, NULL);
            """;
        command.ExecuteNonQuery();
        var catalog = new CountryCatalog();
        catalog.LoadAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
        return catalog;
    }

    private static (string Sql, SqlConditions Conditions) Compile(string filter)
    {
        var conditions = new SqlConditions();
        var sql = new FilterCompiler(Resource, conditions, Countries).Compile(FilterParser.Parse(filter));
        return (sql, conditions);
    }

    private static object? Param(SqlConditions conditions, int index) => conditions.Parameters.Get<object?>("p" + index);

    [Theory]
    [InlineData("year eq 2020", "t.year = @p0")]
    [InlineData("year ne 2020", "t.year IS NOT @p0")]
    [InlineData("year gt 2020", "t.year > @p0")]
    [InlineData("year ge 2020", "t.year >= @p0")]
    [InlineData("year lt 2020", "t.year < @p0")]
    [InlineData("year le 2020", "t.year <= @p0")]
    [InlineData("YEAR_IS_NOT_A_KEYWORD eq 1", null)]
    [InlineData("month eq null", "t.month IS NULL")]
    [InlineData("month ne null", "t.month IS NOT NULL")]
    [InlineData("month eq 3", "t.month IS @p0")]
    [InlineData("month gt 3", "(t.month IS NOT NULL AND t.month > @p0)")]
    [InlineData("year in (2020, 2021)", "(t.year = @p0 OR t.year = @p1)")]
    [InlineData("contains(title, 'oil')", "lower(t.title) LIKE @p0 ESCAPE '\\'")]
    [InlineData("startswith(title, 'oil')", "lower(t.title) LIKE @p0 ESCAPE '\\'")]
    [InlineData("flag eq true", "t.flag = @p0")]
    [InlineData("not year eq 2020", "(NOT t.year = @p0)")]
    [InlineData("signed eq '2023'", "(t.signed_start <= @p0 AND t.signed_end >= @p1)")]
    [InlineData("signed ge 2023", "t.signed_end >= @p0")]
    [InlineData("parties.country eq 'ISR'", "EXISTS (SELECT 1 FROM party p WHERE p.thing_id = t.id AND p.country = @p0)")]
    public void Every_operator_compiles_to_parameterised_sql(string filter, string? expected)
    {
        if (expected is null)
        {
            var error = Assert.Throws<FilterException>(() => Compile(filter));
            Assert.Equal(1, error.Position);
            return;
        }
        Assert.Equal(expected, Compile(filter).Sql);
    }

    [Fact]
    public void Values_are_parameters_converted_to_the_field_type()
    {
        var (_, conditions) = Compile("valueUsd gt 12.34 and weight le 1.5 and signed eq '2023-02' and title eq 'it''s' and parties.country eq 'IL'");
        Assert.Equal(1234L, Param(conditions, 0));
        Assert.Equal(1.5, Param(conditions, 1));
        Assert.Equal("2023-02-28", Param(conditions, 2));
        Assert.Equal("2023-02-01", Param(conditions, 3));
        Assert.Equal("it's", Param(conditions, 4));
        Assert.Equal("ISR", Param(conditions, 5));
    }

    [Fact]
    public void Like_patterns_escape_wildcards()
    {
        var (_, conditions) = Compile("contains(title, '50%_off\\')");
        Assert.Equal("%50\\%\\_off\\\\%", Param(conditions, 0));
        (_, conditions) = Compile("startswith(title, 'ab')");
        Assert.Equal("ab%", Param(conditions, 0));
    }

    [Theory]
    [InlineData("year eq 1 or year eq 2 and year eq 3", "(t.year = @p0 OR (t.year = @p1 AND t.year = @p2))")]
    [InlineData("(year eq 1 or year eq 2) and year eq 3", "((t.year = @p0 OR t.year = @p1) AND t.year = @p2)")]
    [InlineData("not year eq 1 and year eq 2", "((NOT t.year = @p0) AND t.year = @p1)")]
    [InlineData("not (year eq 1 and year eq 2)", "(NOT (t.year = @p0 AND t.year = @p1))")]
    [InlineData("year eq 1 OR year eq 2 Or year eq 3", "((t.year = @p0 OR t.year = @p1) OR t.year = @p2)")]
    [InlineData("parties.country eq 'AZE' or year eq 2", "(EXISTS (SELECT 1 FROM party p WHERE p.thing_id = t.id AND p.country = @p0) OR t.year = @p1)")]
    public void And_binds_tighter_than_or_and_not_binds_tightest(string filter, string expected) =>
        Assert.Equal(expected, Compile(filter).Sql);

    [Theory]
    [InlineData("yeer eq 2020", 1, "yeer", "year")]
    [InlineData("year eq 2020 and titel eq 'x'", 18, "titel", "title")]
    [InlineData("year eq", 8, "end of expression", null)]
    [InlineData("year equals 2020", 6, "equals", null)]
    [InlineData("year eq 2020 title", 14, "title", null)]
    [InlineData("(year eq 2020", 14, "end of expression", null)]
    [InlineData("year eq 'abc", 9, "'abc", null)]
    [InlineData("year eq 'x'", 9, "'x'", null)]
    [InlineData("year eq 1.5", 9, "1.5", null)]
    [InlineData("title eq 5", 10, "5", null)]
    [InlineData("year gt null", 9, "null", null)]
    [InlineData("flag gt true", 9, "true", null)]
    [InlineData("contains(year, '1')", 1, "contains", null)]
    [InlineData("year eq 2020; DROP TABLE thing", 13, ";", null)]
    [InlineData("parties.country eq 'XXX'", 20, "'XXX'", null)]
    [InlineData("signed eq 'May 2023'", 11, "'May 2023'", null)]
    [InlineData("and", 1, "and", null)]
    [InlineData("year in ()", 10, ")", null)]
    public void Errors_give_the_position_the_token_and_a_suggestion(string filter, int position, string token, string? suggestion)
    {
        var error = Assert.Throws<FilterException>(() => Compile(filter));
        Assert.Equal(position, error.Position);
        Assert.Equal(token, error.Token);
        Assert.Equal(suggestion, error.Suggestion);
    }

    [Fact]
    public void Size_limits_are_enforced()
    {
        var tooMany = string.Join(" or ", Enumerable.Range(0, FilterParser.MaxConditions + 1).Select(i => $"year eq {i}"));
        Assert.Contains("conditions", Assert.Throws<FilterException>(() => Compile(tooMany)).Message, StringComparison.Ordinal);
        var longList = "year in (" + string.Join(",", Enumerable.Range(0, FilterParser.MaxListLength + 1)) + ")";
        Assert.Contains("at most", Assert.Throws<FilterException>(() => Compile(longList)).Message, StringComparison.Ordinal);
        var deep = new string('(', FilterParser.MaxDepth + 2) + "year eq 1" + new string(')', FilterParser.MaxDepth + 2);
        Assert.Contains("nests", Assert.Throws<FilterException>(() => Compile(deep)).Message, StringComparison.Ordinal);
        var huge = "title eq '" + new string('x', FilterParser.MaxLength) + "'";
        Assert.Contains("longer", Assert.Throws<FilterException>(() => Compile(huge)).Message, StringComparison.Ordinal);
    }
}

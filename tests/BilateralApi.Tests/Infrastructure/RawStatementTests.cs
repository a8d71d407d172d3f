using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using Microsoft.Data.Sqlite;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>The import's positional statement: a string instance already bound is not bound again, and nothing stale is ever stored.</summary>
public sealed class RawStatementTests
{
    [Fact]
    public void Rebinding_skips_only_the_instance_already_bound()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (n INTEGER, a, b)";
            create.ExecuteNonQuery();
        }
        var pooled = "AZE";
        var sameText = new string("AZE".AsSpan());
        using (var insert = new RawStatement(connection, "INSERT INTO t (n, a, b) VALUES (?1, ?2, ?3)"))
        {
            void Row(long n, Action<RawStatement> bindA, string? b)
            {
                insert.Bind(1, n);
                bindA(insert);
                insert.Bind(3, b);
                Assert.Equal(1, insert.Execute());
            }
            Row(1, s => s.Bind(2, pooled), pooled);
            Row(2, s => s.Bind(2, pooled), "ISR");     // a skipped, b rebound
            Row(3, s => s.Bind(2, 42L), null);         // a number where text was
            Row(4, s => s.Bind(2, pooled), pooled);    // the same instance again after the number: bound again
            Row(5, s => s.Bind(2, sameText), null);    // equal text, other instance
            Row(6, s => s.Bind(2, (string?)null), "X");
            Row(7, s => s.Bind(2, 2.5), "X");
        }
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT n || ':' || COALESCE(typeof(a) || '=' || a, 'null') || ':' || COALESCE(b, 'null') FROM t ORDER BY n";
        using var reader = read.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }
        Assert.Equal(["1:text=AZE:AZE", "2:text=AZE:ISR", "3:integer=42:null", "4:text=AZE:AZE", "5:text=AZE:null", "6:null:X", "7:real=2.5:X"], rows);
    }
}

using BilateralApi.Infrastructure.Database;
using BilateralApi.Querying;
using BilateralApi.Tests.Infrastructure.Postgres;
using Dapper;

namespace BilateralApi.Tests.Infrastructure.Stores;

/// <summary><see cref="SqlLists"/>: one statement text whose lists of values both stores read alike.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SqlListsTests
{
    [SkippableTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_list_of_values_is_one_parameter_each_and_an_empty_list_matches_nothing_and_excludes_nothing(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var connection = await store.Instance().OpenAsync(CancellationToken.None);
        const string In = "SELECT alpha3 FROM country WHERE alpha3 IN {0} ORDER BY alpha3";
        const string NotIn = "SELECT COUNT(*) FROM country WHERE alpha3 NOT IN {0}";
        var all = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM country");

        Assert.Equal(["AZE", "ISR"], await connection.QueryAsync<string>(SqlLists.Command(In, new[] { "ISR", "AZE", "XXX", "ISR" })));
        Assert.Empty(await connection.QueryAsync<string>(SqlLists.Command(In, Array.Empty<string>())));
        Assert.Equal(all, await connection.ExecuteScalarAsync<long>(SqlLists.Command(NotIn, Array.Empty<string>())));
        Assert.Equal(all - 2, await connection.ExecuteScalarAsync<long>(SqlLists.Command(NotIn, new[] { "AZE", "ISR" })));

        // The filters' lists: values of several conditions in one statement keep their own parameter names.
        var conditions = new SqlConditions();
        conditions.AddValue("alpha3", new FilterValue.AnyOf(["AZE", "ISR", "ITA"]), v => v);
        conditions.AddValue("alpha3", new FilterValue.NoneOf(["ITA"]), v => v);
        conditions.Add($"alpha2 IN {conditions.List(["AZ", "IL", "IT"])}");
        Assert.Equal(["AZE", "ISR"], await connection.QueryAsync<string>($"SELECT alpha3 FROM country WHERE {conditions.Where} ORDER BY alpha3", conditions.Parameters));
    }
}

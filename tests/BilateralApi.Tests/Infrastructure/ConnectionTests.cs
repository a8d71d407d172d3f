using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SQLitePCL;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// What every request pays for its connection: a pooled open runs no statement of its own (the settings
/// live as long as the physical connection and are set once), and the settings hold on every open.
/// </summary>
public sealed class ConnectionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Reopening_a_pooled_connection_runs_no_statement_and_keeps_foreign_keys_on()
    {
        _ = factory.CreateClient();
        var connections = factory.Services.GetRequiredService<SqliteConnectionFactory>();
        // Other test classes' factories clear every pool when they are disposed (to release their files); a
        // clear between the two opens hands out a new physical connection, which says nothing either way,
        // so the pair is tried again until the pool hands the same connection back.
        for (var attempt = 1; ; attempt++)
        {
            var statements = new List<string>();
            sqlite3 handle;
            await using (var first = await connections.OpenAsync(CancellationToken.None))
            {
                handle = first.Handle!;
                // SQLite's trace hook: called with the text of every statement as it starts running.
                raw.sqlite3_trace(handle, (_, sql) => statements.Add(sql.utf8_to_string()), null);
            }
            try
            {
                await using var again = await connections.OpenAsync(CancellationToken.None);
                if (!ReferenceEquals(handle, again.Handle) && attempt < 20)
                {
                    continue;
                }
                Assert.Same(handle, again.Handle); // the pool handed the same physical connection back
                Assert.Empty(statements);
                await using var command = again.CreateCommand();
                command.CommandText = "PRAGMA foreign_keys";
                Assert.Equal(1L, await command.ExecuteScalarAsync());
                return;
            }
            finally
            {
                // A handle the pool clear closed has no hook left to remove.
                if (!handle.IsClosed)
                {
                    raw.sqlite3_trace(handle, (delegate_trace?)null, null);
                }
            }
        }
    }
}

using BilateralApi.Tests.Infrastructure.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("BilateralApi.Tests.PostgresPassFramework", "BilateralApi.Tests.Postgres")]

namespace BilateralApi.Tests;

/// <summary>
/// The PostgreSQL pass's test framework: xUnit's own, except that without a PostgreSQL server it finds only
/// <see cref="PostgresPass"/>, whose one test says why the pass did not run (skipped, or failed when CI requires the
/// server). Every other test of the pass is a plain [Fact] that needs the server; hundreds of identical skips would
/// say nothing more.
/// </summary>
public sealed class PostgresPassFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        private readonly bool _serverAnswers = Task.Run(() => PostgresTestServer.Unavailable.Value).GetAwaiter().GetResult() is null;

        protected override bool FindTestsForType(ITestClass testClass, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions) =>
            _serverAnswers || testClass.Class.Name == typeof(PostgresPass).FullName
                ? base.FindTestsForType(testClass, includeSourceInformation, messageBus, discoveryOptions)
                : true;
    }
}

/// <summary>The pass's own check: the server it runs on answers (its collection prints why the pass did not run).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPass
{
    [SkippableFact]
    public async Task The_PostgreSQL_server_answers()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync();
        await using (database)
        {
            await using var connection = await database.OpenAsync();
            Assert.StartsWith("PostgreSQL", (string?)await new Npgsql.NpgsqlCommand("SELECT version()", connection).ExecuteScalarAsync());
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using BilateralApi.Infrastructure.Import;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Import;

/// <summary>A real Kestrel server (bodies arrive over a socket, as slowly as the client sends them) with a spool directory of its own.</summary>
public sealed class KestrelImportFactory : ApiFactory
{
    public string SpoolDirectory { get; }

    public KestrelImportFactory()
    {
        // A directory of its own (the PostgreSQL pass has no database file to put it beside), removed with the factory.
        SpoolDirectory = Path.Combine(Path.GetTempPath(), "bilateral-tests", "spool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(SpoolDirectory);
        UseKestrel(0);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(SpoolDirectory))
        {
            Directory.Delete(SpoolDirectory, recursive: true);
        }
    }

    protected override IEnumerable<(string Key, string Value)> Settings => [(ImportSpool.DirectorySetting, SpoolDirectory)];

    /// <summary>A plain client of the server (<see cref="KestrelFactories.KestrelAddress"/>) with a write and import key.</summary>
    public HttpClient CreateSocketClient()
    {
        var client = new HttpClient { BaseAddress = this.KestrelAddress(), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _key ??= CreateKey("write", "import"));
        return client;
    }

    private string? _key;
}

/// <summary>A body that sends its first part, then waits until the test lets it send the rest (or the test gives up on it).</summary>
internal sealed class TricklingContent(string mediaType, string first, string rest) : HttpContent
{
    private readonly TaskCompletionSource _firstSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task FirstSent => _firstSent.Task;

    public void SendTheRest() => _release.TrySetResult();

    public TricklingContent Typed()
    {
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        return this;
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(first), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        _firstSent.TrySetResult();
        // A client that gives up stops sending.
        await _release.Task.WaitAsync(cancellationToken);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(rest), cancellationToken);
    }

    // Unknown length: sent chunked, as a streaming client would.
    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}

public sealed class ImportSpoolTests(KestrelImportFactory factory) : IClassFixture<KestrelImportFactory>
{
    private const string Header = "reporterISO,partnerISO,period,flowCode,cmdCode,motCode,primaryValue,netWgt,qty,qtyUnitAbbr";

    private static string Rows(string reporter, int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => $"{reporter},ISR,{1950 + i / 12}{i % 12 + 1:00},X,27,0,{i + 1}.5,,,\n"));

    [Fact]
    public async Task A_trickling_import_body_does_not_block_other_writes_and_the_import_stays_whole()
    {
        using var client = factory.CreateSocketClient();
        await client.EnsureSourceAsync("spool-source");
        var body = new TricklingContent("text/csv", Header + "\n" + Rows("MLI", 0, 300), Rows("MLI", 300, 300)).Typed();
        var import = client.PostAsync("/v1/trade-records/import?sourceId=spool-source", body);
        await body.FirstSent;
        // The server has begun reading the body: into its spool file (before the change, inside the write transaction).
        await Eventually.TrueAsync(() => Directory.GetFiles(factory.SpoolDirectory).Length == 1, "The import never began to read its body.");

        // While the import's body is still open, an ordinary write goes through at once (before the
        // change it waited for the import's write lock until busy_timeout and failed 503).
        using var writer = factory.CreateSocketClient();
        var source = await writer.PostAsync("/v1/sources", Json.Body(Bodies.Source("written-during-a-slow-import")));
        Assert.Equal(HttpStatusCode.Created, source.StatusCode);
        Assert.False(import.IsCompleted);

        body.SendTheRest();
        var response = await import;
        var report = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(600, report.GetProperty("inserted").GetInt64());
        var stored = await client.GetJsonAsync("/v1/trade-records?reporter=MLI&count=exact&limit=1");
        Assert.Equal(600, stored.GetProperty("page").GetProperty("total").GetInt64());
        Assert.Empty(Directory.GetFiles(factory.SpoolDirectory));
    }

    [Fact]
    public async Task An_import_whose_client_leaves_mid_body_stores_nothing_and_leaves_no_file()
    {
        using var client = factory.CreateSocketClient();
        await client.EnsureSourceAsync("spool-source");
        using var abandon = new CancellationTokenSource();
        var bundle = string.Concat(Enumerable.Range(0, 50).Select(i =>
            System.Text.Json.JsonSerializer.Serialize(Bodies.Source($"spool-abandoned-{i}"), BilateralApi.Infrastructure.Json.JsonDefaults.Options) + "\n"));
        var body = new TricklingContent("application/x-ndjson", bundle, bundle).Typed();
        var import = client.PostAsync("/v1/sources/import", body, abandon.Token);
        await body.FirstSent;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/countries/MLI")).StatusCode);
        await abandon.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import);

        await Eventually.TrueAsync(() => Directory.GetFiles(factory.SpoolDirectory).Length == 0, "The spooled body of an abandoned import was left on disk.");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/sources/spool-abandoned-0")).StatusCode);
        // And the store takes writes as before.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/sources", Json.Body(Bodies.Source("written-after-an-abandoned-import")))).StatusCode);
    }
}

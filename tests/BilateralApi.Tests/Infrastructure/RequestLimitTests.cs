using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The request-line and header limits are the server's (Kestrel's), not the test host's: this runs the
/// application on a real loopback socket and sends raw HTTP, to hold the document's maxLength of query
/// values to what the server accepts and to pin what it answers beyond (414/431, no body).
/// </summary>
public sealed class RequestLimitTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bilateral-limits", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private Uri? _address;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = Program.Build(["--urls=http://127.0.0.1:0", $"--Database:Path={Path.Combine(_directory, "limits.db")}", "--Database:Seed=false", "--Logging:LogLevel:Default=Warning"]);
        await Program.InitializeAsync(_app.Services, CancellationToken.None);
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    /// <summary>Sends one raw request and returns the status line and headers, and the body.</summary>
    private async Task<(string Head, string Body)> SendAsync(string requestLine, string extraHeaders = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_address!.Host, _address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: localhost\r\n{extraHeaders}Connection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync();
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (answer[..split], answer[(split + 4)..]);
    }

    private static int Status(string head) => int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_query_value_of_the_documented_max_length_is_accepted_and_one_more_byte_is_414_without_a_body()
    {
        using var http = new HttpClient { BaseAddress = _address };
        var document = JsonNode.Parse(await http.GetStringAsync("/swagger/v1/swagger.json"))!;
        var publisher = document["paths"]!["/v1/sources"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "publisher")!;
        var maxLength = publisher["schema"]!["maxLength"]!.GetValue<int>();
        Assert.True(maxLength < 8192, $"maxLength {maxLength} does not leave room for the rest of the request line.");

        var (fits, problem) = await SendAsync($"GET /v1/sources?publisher={new string('a', maxLength)} HTTP/1.1");
        Assert.Equal(200, Status(fits));
        Assert.Contains("\"items\"", problem, StringComparison.Ordinal);

        var (tooLong, body) = await SendAsync($"GET /v1/sources?publisher={new string('a', maxLength + 1)} HTTP/1.1");
        Assert.Equal(414, Status(tooLong));
        Assert.Equal("", body);
        Assert.Contains("Content-Length: 0", tooLong, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Headers_over_32_KiB_together_are_431_without_a_body()
    {
        var (head, body) = await SendAsync("GET /v1/codelists HTTP/1.1", $"X-Padding: {new string('p', 32 * 1024)}\r\n");

        Assert.Equal(431, Status(head));
        Assert.Equal("", body);
    }
}

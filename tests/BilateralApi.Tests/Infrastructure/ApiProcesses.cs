using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// The real program in processes of its own (the build beside the tests, run by `dotnet`), from a working
/// directory of their own: servers started and killed, commands run to completion. Disposing kills what still runs.
/// </summary>
public sealed class ApiProcesses : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly ConcurrentDictionary<Process, ConcurrentQueue<string>> _output = new();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "bilateral-processes", Guid.NewGuid().ToString("N"));

    public ApiProcesses() => System.IO.Directory.CreateDirectory(Directory);

    /// <summary>Starts the program (a server, unless the arguments name a command); its output lines are kept (<see cref="Output"/>).</summary>
    public Process Start(params string[] arguments)
    {
        var start = StartInfo(arguments);
        // The rate limits guard a public deployment; tests drive the server as fast as they can.
        start.Environment["RateLimits__Enabled"] = "false";
        var process = Process.Start(start)!;
        var lines = _output.GetOrAdd(process, _ => new ConcurrentQueue<string>());
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { lines.Enqueue(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { lines.Enqueue(line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    /// <summary>What a started process has written so far (standard output and error, interleaved).</summary>
    public IReadOnlyList<string> Output(Process process) => [.. _output[process]];

    /// <summary>Runs a command to its end; asserts it succeeded and returns its standard output.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await RunToExitAsync(arguments);
        Assert.True(exitCode == 0, error);
        return output;
    }

    /// <summary>Runs the program to its end (a command, or a server that refuses to start) and returns how it ended.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BilateralApi.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    public static async Task WaitReadyAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The API did not become ready.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        _processes.Clear();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}

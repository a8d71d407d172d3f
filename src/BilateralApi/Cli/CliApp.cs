using System.CommandLine;
using BilateralApi.Infrastructure;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace BilateralApi.Cli;

/// <summary>
/// The program's commands (API.md §8). `serve` is the default. Tokens the parser does not know are
/// handed to ASP.NET Core's configuration, so `--Logging:LogLevel:Default=Debug` and the settings
/// WebApplicationFactory passes still work.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dbOption = new Option<string?>("--db")
        {
            Description = "Path of the SQLite database file (default: env BILATERAL_DB, else bilateral.db in the working directory).",
        };
        var urlsOption = new Option<string?>("--urls") { Description = "URLs to listen on, e.g. http://localhost:5080." };
        var noSeedOption = new Option<bool>("--no-seed") { Description = "Do not load the seed dataset into a new database." };

        var serve = new Command("serve", "Start the API (creates and migrates the database; seeds a new one).")
        {
            dbOption, urlsOption, noSeedOption,
        };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((result, cancellationToken) => ServeAsync(
            HostArgs(result, dbOption, urlsOption, result.GetValue(noSeedOption)), cancellationToken));

        var outputOption = new Option<string>("--output")
        {
            Description = "File to write the OpenAPI document to.",
            DefaultValueFactory = _ => OpenApiSetup.CommittedPath,
        };
        var openapi = new Command("openapi", "Write the OpenAPI document (the one served at /swagger/v1/swagger.json) to a file.") { outputOption };
        openapi.SetAction((result, cancellationToken) => WriteOpenApiAsync(result.GetValue(outputOption)!, cancellationToken));

        var root = new RootCommand("BilateralApi: sourced data on the relations between countries. Without a command, runs 'serve'.")
        {
            dbOption, urlsOption, noSeedOption, serve, openapi, ImportCommand.Create(),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, cancellationToken) => ServeAsync(
            HostArgs(result, dbOption, urlsOption, result.GetValue(noSeedOption)), cancellationToken));

        return await root.Parse(args).InvokeAsync();
    }

    private static string[] HostArgs(ParseResult result, Option<string?> db, Option<string?> urls, bool noSeed)
    {
        var hostArgs = new List<string>(result.UnmatchedTokens);
        var dbPath = result.GetValue(db) ?? Environment.GetEnvironmentVariable("BILATERAL_DB");
        if (dbPath is not null)
        {
            hostArgs.Add($"--Database:Path={dbPath}");
        }
        if (result.GetValue(urls) is { } urlValue)
        {
            hostArgs.Add($"--urls={urlValue}");
        }
        if (noSeed)
        {
            hostArgs.Add("--Database:Seed=false");
        }
        return [.. hostArgs];
    }

    private static async Task<int> ServeAsync(string[] hostArgs, CancellationToken cancellationToken)
    {
        var app = AppHost.Build(hostArgs);
        await AppHost.InitializeAsync(app.Services, cancellationToken);
        await app.RunAsync();
        return 0;
    }

    private static async Task<int> WriteOpenApiAsync(string output, CancellationToken cancellationToken)
    {
        // The route table is complete only once the application starts; listen on a throwaway loopback port.
        await using var app = AppHost.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync(cancellationToken);
        var document = app.Services.GetRequiredService<ISwaggerProvider>().GetSwagger(OpenApiSetup.DocumentName);
        await app.StopAsync(cancellationToken);
        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        await using var file = File.Create(output);
        await document.SerializeAsJsonAsync(file, OpenApiSpecVersion.OpenApi3_0, cancellationToken);
        await Console.Out.WriteLineAsync($"Wrote {output}");
        return 0;
    }
}

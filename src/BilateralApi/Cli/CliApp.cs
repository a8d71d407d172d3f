using System.CommandLine;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Infrastructure.Security;

namespace BilateralApi.Cli;

/// <summary>
/// The program's commands. `serve` is the default. Tokens the parser does not know are
/// handed to ASP.NET Core's configuration, so `--Logging:LogLevel:Default=Debug` and the settings
/// WebApplicationFactory passes still work.
/// </summary>
public static class CliApp
{
    /// <summary>
    /// Commands other than serve log warnings and errors only: the shipped appsettings.json keeps the
    /// host's startup lines at Information for the server, which a command's output does not want.
    /// </summary>
    internal static readonly string[] QuietLogging = ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"];

    public static async Task<int> RunAsync(string[] args)
    {
        var dbOption = DbOption();
        var readDbOption = new Option<string?>("--read-db")
        {
            Description = "A PostgreSQL read replica that lists, analytics and exports read from (default: env BILATERAL_READ_DB, else none: the primary).",
        };
        var urlsOption = new Option<string?>("--urls") { Description = "URLs to listen on, e.g. http://localhost:5080." };
        var noSeedOption = new Option<bool>("--no-seed") { Description = "Do not load the seed dataset into a new database." };

        var serve = new Command("serve", "Start the API (creates and migrates the database; seeds a new one).")
        {
            dbOption, readDbOption, urlsOption, noSeedOption,
        };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction((result, cancellationToken) => ServeAsync(
            HostArgs(result, dbOption, readDbOption, urlsOption, result.GetValue(noSeedOption)), cancellationToken));

        var outputOption = new Option<string>("--output")
        {
            Description = "File to write the OpenAPI document to.",
            DefaultValueFactory = _ => OpenApiSetup.CommittedPath,
        };
        var openapi = new Command("openapi", "Write the OpenAPI document (the one served at /swagger/v1/swagger.json) to a file.") { outputOption };
        openapi.SetAction((result, cancellationToken) => WriteOpenApiAsync(result.GetValue(outputOption)!, cancellationToken));

        var root = new RootCommand("BilateralApi: sourced data on the relations between countries. Without a command, runs 'serve'.")
        {
            dbOption, readDbOption, urlsOption, noSeedOption, serve, openapi, KeysCommand(), ImportCommand.Create(), ExportCommand.Create(),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, cancellationToken) => ServeAsync(
            HostArgs(result, dbOption, readDbOption, urlsOption, result.GetValue(noSeedOption)), cancellationToken));

        // System.CommandLine's own handler would answer a bad location with a stack trace and exit 1; every other
        // failure keeps that answer.
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (InvalidStoreLocationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"Unhandled exception: {ex}");
            return 1;
        }
    }

    /// <summary>The --db option every command takes: which database, on which store.</summary>
    internal static Option<string?> DbOption() => new("--db")
    {
        Description = "The database: a SQLite file path, or a PostgreSQL URL (postgres://user:password@host:5432/name) or connection string (Host=…;Database=…) (default: env BILATERAL_DB, else bilateral.db in the working directory).",
    };

    /// <summary>keys create | list | revoke: API keys are managed by the program itself, never over HTTP.</summary>
    private static Command KeysCommand()
    {
        var createDb = DbOption();
        var nameOption = new Option<string>("--name") { Description = "Who or what the key is for, e.g. 'editor-alice' or 'importer'.", Required = true };
        var scopesOption = new Option<string>("--scopes")
        {
            Description = "Comma-separated scopes: write (create/change/delete records), import (bulk imports), admin (everything).",
            Required = true,
        };
        var create = new Command("create", "Create an API key and print it (only the key, once) on standard output; only its salted hash is stored.")
        {
            createDb, nameOption, scopesOption,
        };
        create.SetAction((result, cancellationToken) => WithKeyStoreAsync(result.GetValue(createDb), async keys =>
        {
            var scopes = result.GetValue(scopesOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = scopes.Where(s => !ApiScopes.All.Contains(s.ToLowerInvariant())).ToList();
            var name = result.GetValue(nameOption)!.Trim();
            if (scopes.Length == 0 || unknown.Count > 0 || name.Length is 0 or > 100)
            {
                await Console.Error.WriteLineAsync(name.Length is 0 or > 100
                    ? "--name must be 1 to 100 characters."
                    : $"Unknown scope(s): {string.Join(", ", unknown)}. Use write, import and/or admin.");
                return 2;
            }
            var (info, key) = await keys.CreateAsync(name, scopes, cancellationToken);
            await Console.Out.WriteLineAsync(key);
            await Console.Error.WriteLineAsync($"Created key {info.Id} ({info.Name}; scopes {string.Join(",", info.Scopes)}). It is shown only now.");
            return 0;
        }, cancellationToken));

        var listDb = DbOption();
        var list = new Command("list", "List the API keys: id, name, scopes, when created and revoked (never the keys themselves).") { listDb };
        list.SetAction((result, cancellationToken) => WithKeyStoreAsync(result.GetValue(listDb), async keys =>
        {
            foreach (var key in await keys.ListAsync(cancellationToken))
            {
                await Console.Out.WriteLineAsync(string.Join('\t', key.Id, key.Name, string.Join(",", key.Scopes), key.CreatedAt, key.RevokedAt ?? "active"));
            }
            return 0;
        }, cancellationToken));

        var revokeDb = DbOption();
        var idArgument = new Argument<string>("ID") { Description = "Id of the key (the part after 'bk_' up to the next '_', as shown by 'keys list')." };
        var revoke = new Command("revoke", "Revoke an API key; requests with it get 401 from then on.") { revokeDb, idArgument };
        revoke.SetAction((result, cancellationToken) => WithKeyStoreAsync(result.GetValue(revokeDb), async keys =>
        {
            var id = result.GetValue(idArgument)!;
            if (!await keys.RevokeAsync(id, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"No key has the id '{id}'.");
                return 1;
            }
            await Console.Error.WriteLineAsync($"Revoked key {id}.");
            return 0;
        }, cancellationToken));

        return new Command("keys", "Manage API keys (create, list, revoke).") { create, list, revoke };
    }

    /// <summary>Opens (creating and migrating if needed) the database and runs a key command; logs go to standard error only.</summary>
    private static async Task<int> WithKeyStoreAsync(string? db, Func<ApiKeyStore, Task<int>> action, CancellationToken cancellationToken)
    {
        List<string> hostArgs = [.. QuietLogging, "--Logging:Console:LogToStandardErrorThreshold=Trace"];
        if ((db ?? Environment.GetEnvironmentVariable("BILATERAL_DB")) is { } path)
        {
            hostArgs.Add($"--Database:Path={path}");
        }
        await using var app = Program.Build([.. hostArgs]);
        await Program.InitializeAsync(app.Services, cancellationToken);
        return await action(app.Services.GetRequiredService<ApiKeyStore>());
    }

    private static string[] HostArgs(ParseResult result, Option<string?> db, Option<string?> readDb, Option<string?> urls, bool noSeed)
    {
        var hostArgs = new List<string>(result.UnmatchedTokens);
        var dbPath = result.GetValue(db) ?? Environment.GetEnvironmentVariable("BILATERAL_DB");
        if (dbPath is not null)
        {
            hostArgs.Add($"--Database:Path={dbPath}");
        }
        if ((result.GetValue(readDb) ?? Environment.GetEnvironmentVariable("BILATERAL_READ_DB")) is { Length: > 0 } replica)
        {
            hostArgs.Add($"--Database:ReadReplica={replica}");
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
        var app = Program.Build(hostArgs);
        await Program.InitializeAsync(app.Services, cancellationToken);
        await app.RunAsync();
        return 0;
    }

    private static async Task<int> WriteOpenApiAsync(string output, CancellationToken cancellationToken)
    {
        // The route table is complete only once the application starts; listen on a throwaway loopback port.
        await using var app = Program.Build(["--urls=http://127.0.0.1:0", .. QuietLogging]);
        await app.StartAsync(cancellationToken);
        // The very bytes the server answers at /swagger/v1/swagger.json.
        var document = await app.Services.GetRequiredService<OpenApiDocumentCache>().GetAsync(cancellationToken);
        await app.StopAsync(cancellationToken);
        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        await File.WriteAllBytesAsync(output, document.Bytes, cancellationToken);
        await Console.Out.WriteLineAsync($"Wrote {output}");
        return 0;
    }
}

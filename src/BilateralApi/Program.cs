using BilateralApi.Agreements;
using BilateralApi.Changes;
using BilateralApi.Claims;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Dyads;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Infrastructure.Security;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Querying;
using BilateralApi.Search;
using BilateralApi.Sources;
using BilateralApi.TradeAnalytics;
using BilateralApi.TradeRecords;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

// The program's commands (serve, keys, import, export, openapi); `serve` builds the web application below.
return await BilateralApi.Cli.CliApp.RunAsync(args);

/// <summary>
/// The composition root: services, middleware and the routes of every slice. Each slice maps its own
/// routes (imports included) and declares on each endpoint what shared code does for it (scope, rate
/// budget, body limit, ETags, If-Match, idempotency; see Infrastructure/Http/EndpointBehaviours.cs).
/// Public so that WebApplicationFactory (the tests) and the commands can build it.
/// </summary>
public partial class Program
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The published build runs from any directory: content (none besides appsettings) sits beside the binary.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        UsePipeline(app);
        MapApi(app);
        return app;
    }

    /// <summary>Migrates and seeds the database and fills the reference-data caches; runs before the server listens.</summary>
    public static Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<ChangeLog>();
        services.AddSingleton<ChangeRepository>();
        services.AddApiKeyAuth(configuration);
        services.AddApiRateLimits(configuration);
        services.AddHttpHardening();
        services.AddStore(configuration);
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<RecordLookup>(sp => new RecordLookup(sp.GetRequiredService<IStoreConnections>()));
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<SeedLoader>();
        services.AddSingleton<CountryCatalog>();
        services.AddSingleton<CodeListCatalog>();
        services.AddSingleton<CommodityCatalog>();
        services.AddSingleton<CursorKeys>();
        services.AddSingleton(QueryBudget.FromConfiguration(configuration));
        services.AddSingleton(ExportGate.FromConfiguration(configuration));

        services.AddSingleton<VersionedWrites>();
        services.AddSingleton<SourceRepository>();
        services.AddSingleton<AgreementRepository>();
        services.AddSingleton<ClaimRepository>();
        services.AddSingleton<EventRepository>();
        services.AddSingleton<TradeRecordRepository>();
        services.AddSingleton<TradeAnalyticsRepository>();
        services.AddSingleton<ClaimChecker>();
        services.AddSingleton<DyadRepository>();
        services.AddSingleton<TradeRecordImporter>();

        ValidationExtensions.ConfigureGlobalNames();
        services.AddValidatorsFromAssemblyContaining<SourceWriteValidator>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.ConfigureHttpJsonOptions(o => JsonDefaults.Apply(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => JsonDefaults.Apply(o.JsonSerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddApiProblemDetails();
        services.AddApiDocument();
        // The request-line and header limits the OpenAPI document states are these, not Kestrel's defaults by coincidence.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = OpenApiLimits.MaxRequestLineBytes;
            o.Limits.MaxRequestHeadersTotalSize = OpenApiLimits.MaxRequestHeadersBytes;
        });
        services.AddHealthChecks().Add(new HealthCheckRegistration("database",
            sp => new DatabaseHealthCheck(sp.GetRequiredService<IStoreConnections>(), sp.GetRequiredService<IStoreSchema>().MigrationNames), failureStatus: null, tags: ["ready"]));
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();

        // Routing first, so CORS, the rate limiter, body limits and idempotency see the endpoint's metadata.
        // What a request does not need is not in its path: authentication runs only for a request that
        // presents a key (without one it stays anonymous, as the handler would leave it), the rate limiter
        // only when rate limits are on, and Swagger UI only under /swagger (see docs/performance.md).
        app.UseRouting();
        app.UseCors(HttpHardening.CorsPolicy);
        app.UseWhen(ApiKeyAuthenticationHandler.PresentsKey, branch => branch.UseAuthentication());
        // WebApplication adds UseAuthentication() in front of everything unless the application did; the
        // flag set inside the branch stays in the branch's copy of the properties, so say it here. Were the
        // key ever renamed, requests would be authenticated twice: slower, never less safe (a test counts).
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            app.UseRateLimitHeaders();
            app.UseRateLimiter();
        }
        app.UseAuthorization();
        app.UseBodyLimits();
        app.UseMiddleware<IdempotencyMiddleware>();
    }

    private static void MapApi(WebApplication app)
    {
        app.MapApiDocument();
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], () => Results.Redirect("/swagger")).ExcludeFromDescription();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResultStatusCodes = { [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
        });

        // What every /v1 endpoint shares; a slice declares what differs (writes: scope, budget, body limit).
        var v1 = app.MapGroup("/v1")
            .AddEndpointFilterFactory(StrictQueryFilter.Factory)
            .AnswersProblem(StatusCodes.Status400BadRequest, "Bad request: an unknown or repeated query parameter (code unknownParameter or validationFailed).")
            .WithRateBudget(RateBudget.Reads)
            .AnswersProblem(StatusCodes.Status500InternalServerError, "Internal error: nothing about it is disclosed; the traceId finds it in the server log (code internalError).")
            .RequireDeclaredScopes();
        // Public reads carry no policy at all (nothing to evaluate per request); otherwise every /v1 request needs a key.
        if (!app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.PublicReads)
        {
            v1.RequireAuthorization(ApiKeyClaims.ReadPolicy);
        }
        v1.MapCountries();
        v1.MapCodeLists();
        v1.MapCommodities();
        v1.MapSources();
        v1.MapAgreements();
        v1.MapClaims();
        v1.MapEvents();
        v1.MapTradeRecords();
        v1.MapTradeAnalytics();
        v1.MapDyads();
        v1.MapChanges();
        v1.MapSearch();
    }
}

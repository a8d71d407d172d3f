using System.Security.Cryptography;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Security;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>Swashbuckle: the v1 document, its metadata, and the filters that complete what minimal APIs cannot say.</summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string CommittedPath = "openapi/bilateral-api.v1.json";
    public const string BearerScheme = "bearerKey";
    public const string ApiKeyScheme = "apiKeyHeader";
    public const string DocumentPath = $"/swagger/{DocumentName}/swagger.json";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        services.AddSingleton<OpenApiDocumentCache>();
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "BilateralApi",
                Version = "v1",
                Description = """
                    Sourced data on the relations between countries: agreements, events, trade records and claims,
                    with the sources behind every fact. Ships with a curated Azerbaijan–Israel dataset.

                    Lists share one query language (per-field filters, keyset cursors) and the page envelope
                    `{ items, page: { limit, nextCursor, next } }`. Errors are `application/problem+json` with a stable
                    `code`. Items carry an `ETag`; changing an existing record needs `If-Match`. Reads are public; writes
                    need an API key with the right scope (`write`, `import`, `admin`), sent as `Authorization: Bearer` or
                    `X-Api-Key` (use Authorize). Requests are rate-limited per key, else per client address (429 with
                    `Retry-After`; `RateLimit-*` headers on responses). `Idempotency-Key` makes POST retries safe.
                    Every write is in the change feed (`/v1/changes`) and in the record's history.

                    Limits the server enforces before the API runs: the request line (method, path with query, protocol
                    and CRLF) is at most 8192 bytes, all request headers together at most 32768 bytes. Beyond them the
                    server answers `414 URI Too Long` or `431 Request Header Fields Too Large` with an empty body (no
                    problem+json). A query or path parameter's `maxLength` is what the line leaves for it when it is
                    the only parameter; several long values share the same 8192 bytes.
                    """,
                Contact = new OpenApiContact { Name = "BilateralApi maintainers" },
                License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
            });
            options.AddServer(new OpenApiServer { Url = "/", Description = "This server" });
            // Two ways to send the same API key (created with `BilateralApi keys create`); reads need none.
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key as a Bearer token: `Authorization: Bearer bk_…`. Create one with `BilateralApi keys create --name N --scopes write`.",
            });
            options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Security.ApiKeyAuthenticationHandler.HeaderName,
                Description = "The same API key in the X-Api-Key header. Never in the query string.",
            });
            options.SupportNonNullableReferenceTypes();
            // Lets a nullable property point at a shared schema (OpenAPI 3.0 cannot mark a bare $ref nullable).
            options.UseAllOfToExtendReferenceSchemas();
            options.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName);
            options.ParameterFilter<ParameterDocsFilter>();
            options.SchemaFilter<SchemaDocsFilter>();
            options.SchemaFilter<ValidationLimitsFilter>();
            options.SchemaFilter<RequiredMembersFilter>();
            options.OperationFilter<ParameterExamplesFilter>();
            options.OperationFilter<FieldParametersFilter>();
            options.OperationFilter<EndpointMetadataFilter>();
            options.OperationFilter<OptionalExamplesFilter>();
            options.DocumentFilter<TagDescriptionsFilter>();
            options.DocumentFilter<ExpansionDocsFilter>();
            options.DocumentFilter<NullableReferenceFilter>();
            options.DocumentFilter<OpenApiLimits>();
            options.DocumentFilter<PartialSchemasFilter>();
        });
        return services;
    }

    /// <summary>
    /// Serves the document from <see cref="OpenApiDocumentCache"/> (built once, with a strong ETag; 304 on
    /// If-None-Match), on the read budget, and Swagger UI over it.
    /// </summary>
    public static void MapApiDocument(this WebApplication app)
    {
        app.MapMethods(DocumentPath, [HttpMethods.Get, HttpMethods.Head], async (HttpContext http, OpenApiDocumentCache cache, CancellationToken cancellationToken) =>
            {
                var document = await cache.GetAsync(cancellationToken);
                http.Response.Headers.ETag = document.ETag;
                http.Response.Headers.CacheControl = "no-cache";
                return EndpointBehaviours.NoneMatch(http.Request, document.ETag)
                    ? Results.StatusCode(StatusCodes.Status304NotModified)
                    : Results.Bytes(document.Bytes, "application/json; charset=utf-8");
            })
            .WithRateBudget(RateBudget.Reads)
            .ExcludeFromDescription();
        // Swagger UI's middleware matches every request's path with a regular expression: only /swagger reaches it.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase), branch => branch.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "BilateralApi v1");
            options.DocumentTitle = "BilateralApi";
            options.DisplayOperationId();
            options.EnableTryItOutByDefault();
        }));
    }
}

/// <summary>The serialized document and its strong ETag (a hash of the bytes).</summary>
public sealed record CachedDocument(byte[] Bytes, string ETag);

/// <summary>
/// The OpenAPI document, generated and serialized once per process: it depends only on the route
/// table and configuration, both fixed once the application runs, and generating it costs ~50 ms of
/// CPU for 1.1 MB. The `openapi` command writes these same bytes, so the committed copy equals the served one.
/// </summary>
public sealed class OpenApiDocumentCache
{
    private readonly ISwaggerProvider _swagger;
    private readonly Lazy<Task<CachedDocument>> _document;
    private int _generations;

    public OpenApiDocumentCache(ISwaggerProvider swagger)
    {
        _swagger = swagger;
        _document = new(BuildAsync);
    }

    /// <summary>How many times the document was generated (1 once served; a test holds it there).</summary>
    public int Generations => Volatile.Read(ref _generations);

    public Task<CachedDocument> GetAsync(CancellationToken cancellationToken) => _document.Value.WaitAsync(cancellationToken);

    private async Task<CachedDocument> BuildAsync()
    {
        Interlocked.Increment(ref _generations);
        var document = _swagger.GetSwagger(OpenApiSetup.DocumentName);
        using var buffer = new MemoryStream();
        await document.SerializeAsJsonAsync(buffer, OpenApiSpecVersion.OpenApi3_0, CancellationToken.None);
        var bytes = buffer.ToArray();
        return new CachedDocument(bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
    }
}

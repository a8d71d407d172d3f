using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>Swashbuckle: the v1 document, its metadata, and the filters that complete what minimal APIs cannot say.</summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string CommittedPath = "openapi/bilateral-api.v1.json";
    public const string BearerScheme = "bearerKey";
    public const string ApiKeyScheme = "apiKeyHeader";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
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
            options.OperationFilter<ProblemResponsesFilter>();
            options.OperationFilter<OptionalExamplesFilter>();
            options.DocumentFilter<TagDescriptionsFilter>();
            options.DocumentFilter<ExpansionDocsFilter>();
            options.DocumentFilter<NullableReferenceFilter>();
            options.DocumentFilter<OpenApiLimits>();
            options.DocumentFilter<PartialSchemasFilter>();
        });
        return services;
    }
}

using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>Swashbuckle: the v1 document, its metadata, and the filters that complete what minimal APIs cannot say.</summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string CommittedPath = "openapi/bilateral-api.v1.json";

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
                    `code`. Items carry an `ETag`; changing an existing record needs `If-Match`.
                    """,
                Contact = new OpenApiContact { Name = "BilateralApi maintainers" },
                License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
            });
            options.AddServer(new OpenApiServer { Url = "/", Description = "This server" });
            options.SupportNonNullableReferenceTypes();
            // Lets a nullable property point at a shared schema (OpenAPI 3.0 cannot mark a bare $ref nullable).
            options.UseAllOfToExtendReferenceSchemas();
            options.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName);
            options.ParameterFilter<ParameterDocsFilter>();
            options.SchemaFilter<SchemaDocsFilter>();
            options.OperationFilter<ProblemResponsesFilter>();
            options.DocumentFilter<TagDescriptionsFilter>();
            options.DocumentFilter<NullableReferenceFilter>();
        });
        return services;
    }
}

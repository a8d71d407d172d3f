using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// A nullable property that points at a shared schema is written as allOf + nullable; OpenAPI 3.0
/// tooling (Spectral, generators) wants a type beside 'nullable', so give those properties 'object'.
/// </summary>
public sealed class NullableReferenceFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        foreach (var schema in swaggerDoc.Components?.Schemas?.Values ?? Enumerable.Empty<IOpenApiSchema>())
        {
            foreach (var property in schema.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
            {
                if (property is OpenApiSchema { AllOf.Count: > 0 } concrete && concrete.Type is { } type && type.HasFlag(JsonSchemaType.Null) && !type.HasFlag(JsonSchemaType.Object))
                {
                    concrete.Type = type | JsonSchemaType.Object;
                }
            }
        }
    }
}

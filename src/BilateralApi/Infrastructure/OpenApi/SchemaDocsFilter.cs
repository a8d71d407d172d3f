using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using BilateralApi.Infrastructure.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Schema descriptions from [Description], examples from a type's static Example property, and the
/// extension members every problem body carries (code, traceId).
/// </summary>
public sealed class SchemaDocsFilter : ISchemaFilter
{
    // Examples leave out null members: OpenAPI 3.0 validators cannot see 'nullable' through allOf references.
    private static readonly JsonSerializerOptions ExampleOptions = new(JsonDefaults.Options)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }
        if (context.MemberInfo?.GetCustomAttribute<DescriptionAttribute>() is { } memberDescription)
        {
            concrete.Description = memberDescription.Description;
        }
        else if (context.ParameterInfo is null && context.MemberInfo is null && context.Type.GetCustomAttribute<DescriptionAttribute>() is { } typeDescription)
        {
            concrete.Description = typeDescription.Description;
        }

        if (context.MemberInfo is null && context.Type.GetProperty("Example", BindingFlags.Public | BindingFlags.Static) is { } example &&
            example.PropertyType == context.Type)
        {
            concrete.Example = JsonSerializer.SerializeToNode(example.GetValue(null), context.Type, ExampleOptions);
        }

        // decimal members (money, weights) are exact decimal numbers in JSON, not binary floating point.
        if (context.Type == typeof(decimal) || context.Type == typeof(decimal?))
        {
            concrete.Format = "decimal";
        }

        if (context.Type == typeof(ProblemDetails) || context.Type == typeof(HttpValidationProblemDetails))
        {
            concrete.Properties ??= new Dictionary<string, IOpenApiSchema>();
            concrete.Properties["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Stable machine-readable problem code, e.g. validationFailed, notFound, preconditionFailed.",
            };
            concrete.Properties["traceId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Identifies the request in the server log.",
            };
            if (context.Type == typeof(HttpValidationProblemDetails))
            {
                concrete.Properties[Http.Problems.ErrorsOmitted] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Format = "int32",
                    Minimum = "1",
                    Maximum = "2147483647",
                    Description = $"Present only when more than {Http.Problems.MaxListedErrors} fields had errors: how many fields 'errors' leaves out.",
                };
            }
            // The problem details service fills these in on every problem (Http/ProblemDetailsSetup).
            concrete.Required ??= new SortedSet<string>(StringComparer.Ordinal);
            foreach (var always in new[] { "status", "code", "traceId" })
            {
                concrete.Required.Add(always);
            }
        }
    }
}

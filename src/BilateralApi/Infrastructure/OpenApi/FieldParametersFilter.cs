using System.Text.Json.Nodes;
using BilateralApi.Querying;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Declares the per-field parameters a list takes for the fields of its field map that have no
/// parameter of their own (<see cref="FieldParameters"/>): one optional query parameter per field,
/// after the handler's own and before the shared filter=, q=, sort=…, with what it takes and an example.
/// </summary>
public sealed class FieldParametersFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<QueryFieldsMetadata>().FirstOrDefault() is not { } fields)
        {
            return;
        }
        operation.Parameters ??= [];
        var present = operation.Parameters.Where(p => p.In == ParameterLocation.Query).Select(p => p.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        // After the list's own parameters, before the shared query-language ones (filter=, q=, sort=, …).
        var at = operation.Parameters.ToList().FindIndex(p => p.Name == "filter" && p.In == ParameterLocation.Query);
        at = at < 0 ? operation.Parameters.Count : at;
        foreach (var field in FieldParameters.Generic(fields.Resource, FieldParameters.DeclaredNames(context.MethodInfo)))
        {
            if (present.Contains(field.Name))
            {
                continue;
            }
            var description = FieldParameters.Description(field);
            operation.Parameters.Insert(at++, new OpenApiParameter
            {
                Name = field.Name,
                In = ParameterLocation.Query,
                Required = false,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description },
                Example = JsonValue.Create(FieldParameters.Example(field)),
            });
        }
    }
}

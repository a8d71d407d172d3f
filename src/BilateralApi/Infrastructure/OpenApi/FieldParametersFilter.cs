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
        ListExamples(operation, fields.Resource);
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
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description, Pattern = FieldParameters.Pattern(field) },
                Example = JsonValue.Create(FieldParameters.Example(field)),
            });
        }
    }

    /// <summary>
    /// Examples of the shared query-language parameters that hold for this list (the [Example]s on
    /// <see cref="ListParameters"/> are one list's): its filter example, a sort, fields and a facet from its map.
    /// </summary>
    private static void ListExamples(OpenApiOperation operation, QueryResource resource)
    {
        var plain = resource.Fields.Where(f => f.Related is null && !f.Name.Contains('.', StringComparison.Ordinal)).ToList();
        var sort = plain.FirstOrDefault(f => f.Sortable && f.Type is FieldType.Date or FieldType.Integer or FieldType.Money or FieldType.Number) ?? resource.Id;
        var field = plain.FirstOrDefault(f => f.Type is FieldType.Text or FieldType.Code or FieldType.Country);
        var facet = plain.FirstOrDefault(f => f.Facetable && f.Type is FieldType.Code or FieldType.Country or FieldType.Boolean or FieldType.Integer);
        var examples = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["filter"] = resource.FilterExample,
            ["sort"] = $"-{sort.Name}",
            ["fields"] = field is null ? resource.Id.Name : $"{resource.Id.Name},{field.Name}",
            ["facet"] = facet?.Name,
        };
        foreach (var parameter in operation.Parameters!.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            if (parameter.Name is not { } name || !examples.TryGetValue(name, out var example))
            {
                continue;
            }
            if (example is not null)
            {
                parameter.Example = JsonValue.Create(example);
            }
            else
            {
                parameter.Example = null;
                parameter.Description += " This list has no field to facet on: any facet= is a 400.";
            }
        }
    }
}

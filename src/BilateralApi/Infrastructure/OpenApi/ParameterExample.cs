using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Endpoint metadata: the example of one parameter of this endpoint, for handlers shared by several routes
/// (an [Example] on the handler's parameter would give them all the same one).
/// </summary>
public sealed record ParameterExample(string Name, string Value);

/// <summary>Applies <see cref="ParameterExample"/> metadata to the operation's parameters.</summary>
public sealed class ParameterExamplesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var example in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ParameterExample>())
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == example.Name) is OpenApiParameter parameter)
            {
                parameter.Example = JsonValue.Create(example.Value);
            }
        }
    }
}

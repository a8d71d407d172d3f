using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>Gives every query and route parameter its [Description] and [Example].</summary>
public sealed class ParameterDocsFilter : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (parameter is not OpenApiParameter concrete)
        {
            return;
        }
        ICustomAttributeProvider? member = (ICustomAttributeProvider?)context.PropertyInfo ?? context.ParameterInfo;
        if (member is null)
        {
            return;
        }
        var attributes = member.GetCustomAttributes(true);
        if (attributes.OfType<DescriptionAttribute>().FirstOrDefault() is { } description)
        {
            concrete.Description = description.Description;
        }
        if (attributes.OfType<ExampleAttribute>().FirstOrDefault() is { } example)
        {
            concrete.Example = JsonValue.Create(example.Value);
        }
    }
}

using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>Gives every query and route parameter its [Description], [Example] and [Required].</summary>
public sealed class ParameterDocsFilter : IParameterFilter
{
    /// <summary>The example as the parameter's JSON type, so validators see an integer where the schema says integer.</summary>
    private static JsonNode? TypedExample(IOpenApiSchema? schema, string value)
    {
        var type = schema?.Type ?? JsonSchemaType.String;
        if (type.HasFlag(JsonSchemaType.Integer) && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (type.HasFlag(JsonSchemaType.Boolean) && bool.TryParse(value, out var flag))
        {
            return JsonValue.Create(flag);
        }
        return JsonValue.Create(value);
    }

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
            concrete.Example = TypedExample(concrete.Schema, example.Value);
        }
        // Bound as optional strings (a missing value is the handler's 400 with a message, not a binding
        // failure), so [Required] is what tells the document that the operation needs them.
        if (attributes.OfType<System.ComponentModel.DataAnnotations.RequiredAttribute>().Any())
        {
            concrete.Required = true;
        }
    }
}

using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Swagger UI fills every parameter that has an `example` into the try-it-out form (OpenAPI 3; it has no
/// option to turn this off: swagger-api/swagger-ui#8276). On a list with ~40 optional filters that sends
/// all of them ANDed — filter= examples written for another resource, a cursor from another query,
/// format=csv — and the first Execute answers 400 or nothing. So the optional query parameters of reads
/// give their example in the description instead ("Example: …"); required and path parameters, `limit`
/// and headers keep a real `example`, which the form can send as it is (decision 0020).
/// </summary>
public sealed class OptionalExamplesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!string.Equals(context.ApiDescription.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.In != ParameterLocation.Query || parameter.Required || parameter.Name == "limit" || parameter.Example is not { } example)
            {
                continue;
            }
            var text = example.GetValueKind() == System.Text.Json.JsonValueKind.String ? example.GetValue<string>() : example.ToJsonString();
            parameter.Description = $"{parameter.Description?.TrimEnd()} Example: `{parameter.Name}={text}`.".TrimStart();
            parameter.Example = null;
        }
    }
}

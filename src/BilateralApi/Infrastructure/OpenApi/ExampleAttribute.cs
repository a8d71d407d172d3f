namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>An example value for a query or route parameter, shown in the OpenAPI document and Swagger UI.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ExampleAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

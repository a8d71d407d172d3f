using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BilateralApi.Infrastructure.Json;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// States which members an object always has, from what decides it (decision 0021):
/// <list type="bullet">
/// <item>A shape the server writes lists every member it serialises as required: the JSON options write
/// nulls (<see cref="JsonIgnoreCondition.Never"/>), so a nullable member is present as null. A member that
/// is left out when null (<c>[JsonIgnore(WhenWritingNull)]</c>) is optional and never null.
/// Nullability itself comes from the C# types (SupportNonNullableReferenceTypes).</item>
/// <item>A shape a client sends (it has a FluentValidation validator) lists what the validator requires
/// (an unconditional NotNull or NotEmpty rule) as required and not nullable; everything else may be
/// left out or null, as the validator accepts. A shape used both ways (a date, a citation) is described
/// as it is sent: what the server writes is a valid write, so the answers still match.</item>
/// </list>
/// </summary>
public sealed class RequiredMembersFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } concrete || context.MemberInfo is not null || context.ParameterInfo is not null ||
            JsonDefaults.Options.GetTypeInfo(context.Type) is not { Kind: JsonTypeInfoKind.Object } info)
        {
            return;
        }
        var members = info.Properties.Where(p => concrete.Properties.ContainsKey(p.Name)).ToList();
        // Keeps what an earlier filter knows is always there (the problem details service's members).
        concrete.Required = new SortedSet<string>(concrete.Required ?? new HashSet<string>(), StringComparer.Ordinal);
        if (RequiredByValidator(services, context.Type) is { } required)
        {
            foreach (var member in members.Where(m => required.Contains(m.Name)))
            {
                concrete.Required.Add(member.Name);
                NotNull(concrete.Properties[member.Name]);
            }
            return;
        }
        foreach (var member in members)
        {
            if (OmittedWhenNull(member))
            {
                NotNull(concrete.Properties[member.Name]);
            }
            else
            {
                concrete.Required.Add(member.Name);
            }
        }
    }

    /// <summary>
    /// The JSON names of the members the validator of <paramref name="written"/> requires (an unconditional
    /// NotNull or NotEmpty rule on the member itself, not on its items); null when the type has no validator.
    /// </summary>
    public static IReadOnlySet<string>? RequiredByValidator(IServiceProvider services, Type written)
    {
        if (services.GetService(typeof(IValidator<>).MakeGenericType(written)) is not IValidator validator)
        {
            return null;
        }
        var descriptor = validator.CreateDescriptor();
        return JsonDefaults.Options.GetTypeInfo(written).Properties
            .Where(p => descriptor.GetRulesForMember(p.Name).Any(rule => !IsForEach(rule) && rule.Components.Any(Requires)))
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static bool Requires(IRuleComponent component) =>
        component.Validator is INotNullValidator or INotEmptyValidator && !component.HasCondition && !component.HasAsyncCondition;

    private static bool IsForEach(IValidationRule rule) =>
        rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));

    private static bool OmittedWhenNull(JsonPropertyInfo member) =>
        JsonDefaults.Options.DefaultIgnoreCondition != JsonIgnoreCondition.Never ||
        (member.AttributeProvider as MemberInfo)?.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;

    /// <summary>Takes null out of a member's type (Swashbuckle keeps a nullable $ref member's null on 'type' beside its allOf).</summary>
    private static void NotNull(IOpenApiSchema member)
    {
        if (member is OpenApiSchema { Type: { } type } concrete && type.HasFlag(JsonSchemaType.Null))
        {
            var without = type & ~JsonSchemaType.Null;
            concrete.Type = without == 0 ? null : without;
        }
    }
}

using System.Globalization;
using System.Reflection;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// States in the schemas the limits the FluentValidation validators enforce, read from the validators
/// themselves (length, between and regex rules), so the document cannot drift from the checks.
/// A response shape <c>XResponse</c> carries the limits of its write shape <c>XWrite</c>: what is served
/// was stored through that validator.
/// </summary>
public sealed class ValidationLimitsFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || context.MemberInfo is not PropertyInfo property || property.DeclaringType is not { } owner)
        {
            return;
        }
        foreach (var limit in WriteShapes(owner).SelectMany(write => LimitsOf(services, write, property.Name)))
        {
            switch (limit)
            {
                case ILengthValidator { Max: > 0 } length:
                    // A shape that shows several resources (search hits) takes the longest of their limits.
                    concrete.MaxLength = Math.Max(concrete.MaxLength ?? 0, length.Max);
                    if (length.Min > 0)
                    {
                        concrete.MinLength = length.Min;
                    }
                    break;
                case IBetweenValidator between:
                    concrete.Minimum = Number(between.From);
                    concrete.Maximum = Number(between.To);
                    break;
                case IRegularExpressionValidator regex:
                    concrete.Pattern = regex.Expression;
                    break;
                case StringKind kind:
                    // RuleForEach rules hold for the list's items.
                    kind.ApplyTo(concrete.Items as OpenApiSchema ?? concrete);
                    break;
            }
        }
    }

    /// <summary>Shapes that show records of other resources, with the write shapes those records were stored through.</summary>
    private static readonly Dictionary<Type, Type[]> ShownRecords = new()
    {
        [typeof(Dyads.DyadSource)] = [typeof(Sources.SourceWrite)],
        [typeof(Dyads.AgreementBrief)] = [typeof(Agreements.AgreementWrite)],
        [typeof(Dyads.EventBrief)] = [typeof(Events.EventWrite)],
        [typeof(Search.SearchHit)] = [typeof(Agreements.AgreementWrite), typeof(Events.EventWrite), typeof(Sources.SourceWrite)],
        [typeof(Dyads.TimelineItem)] = [typeof(Agreements.AgreementWrite), typeof(Events.EventWrite)],
    };

    /// <summary>The type itself, and for XResponse / XBrief the write shape XWrite, or the table's write shapes.</summary>
    public static IEnumerable<Type> WriteShapes(Type owner)
    {
        yield return owner;
        if (ShownRecords.TryGetValue(owner, out var shown))
        {
            foreach (var write in shown)
            {
                yield return write;
            }
            yield break;
        }
        foreach (var suffix in new[] { "Response", "Brief" })
        {
            if (owner.Name.EndsWith(suffix, StringComparison.Ordinal) &&
                owner.Assembly.GetType(owner.FullName![..^suffix.Length] + "Write") is { } write)
            {
                yield return write;
            }
        }
    }

    /// <summary>The limiting rule components of one member, from the validator of <paramref name="validated"/>.</summary>
    public static IEnumerable<object> LimitsOf(IServiceProvider services, Type validated, string member)
    {
        if (validated.GetProperty(member) is null ||
            services.GetService(typeof(IValidator<>).MakeGenericType(validated)) is not IValidator validator)
        {
            yield break;
        }
        // Rules are keyed by the camelCase JSON name (ValidatorOptions' property name resolver).
        foreach (var rule in validator.CreateDescriptor().GetRulesForMember(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member)))
        {
            foreach (var component in rule.Components)
            {
                if (component.Validator is ILengthValidator or IBetweenValidator or IRegularExpressionValidator)
                {
                    yield return component.Validator;
                }
                else if (component.ErrorCode is { } code && StringKind.ByRuleCode.TryGetValue(code, out var kind))
                {
                    yield return kind;
                }
            }
        }
    }

    private static string? Number(object? value) => value switch
    {
        null => null,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

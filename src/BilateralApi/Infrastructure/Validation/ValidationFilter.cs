using BilateralApi.Infrastructure.Http;
using FluentValidation;

namespace BilateralApi.Infrastructure.Validation;

/// <summary>
/// The one endpoint filter that runs the FluentValidation validator of a write request before the
/// handler, and answers 400 problem+json with one entry per field (camelCase JSON paths).
/// </summary>
public sealed class ValidationFilter<TRequest>(IValidator<TRequest> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        if (request is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["$"] = ["A request body is required."] }, Problems.InvalidJson);
        }

        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        if (!result.IsValid)
        {
            return Problems.Validation(result.ToFieldErrors());
        }
        return await next(context);
    }
}

public static class ValidationExtensions
{
    /// <summary>Validates the body of type <typeparamref name="TRequest"/> and documents the 400 answer.</summary>
    public static RouteHandlerBuilder WithValidation<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<TRequest>>()
            .ProducesValidationProblem();

    public static Dictionary<string, string[]> ToFieldErrors(this FluentValidation.Results.ValidationResult result) =>
        result.Errors
            .GroupBy(e => string.IsNullOrEmpty(e.PropertyName) ? "$" : e.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

    /// <summary>Error keys and messages use the JSON (camelCase) member names, never the C# ones.</summary>
    public static void ConfigureGlobalNames()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.LanguageManager.Enabled = false;
    }
}

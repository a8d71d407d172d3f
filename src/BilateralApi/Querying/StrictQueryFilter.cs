using System.Reflection;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Querying;

/// <summary>
/// Rejects query parameters an endpoint does not declare, and declared ones given more than once,
/// with a 400 that names the parameter and lists the allowed ones. The allowed names come from the
/// handler's own parameters, so the document and the check cannot drift apart.
/// </summary>
public static class StrictQueryFilter
{
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var allowed = AllowedNames(context.MethodInfo);
        return invocation =>
        {
            foreach (var (key, values) in invocation.HttpContext.Request.Query)
            {
                if (!allowed.Contains(key))
                {
                    var hint = allowed.Count == 0 ? "This operation takes no query parameters." : $"Allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.";
                    var suggestion = allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));
                    var message = $"Unknown query parameter '{key}'. " + (suggestion is null ? hint : $"Did you mean '{suggestion}'? {hint}");
                    return ValueTask.FromResult<object?>(Problems.Parameter(key, message, Problems.UnknownParameter));
                }
                if (values.Count > 1)
                {
                    return ValueTask.FromResult<object?>(Problems.Parameter(key, $"'{key}' is given {values.Count} times; give it once (lists are comma-separated)."));
                }
            }
            return next(invocation);
        };
    }

    private static HashSet<string> AllowedNames(MethodInfo method)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties())
                {
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery)
                    {
                        names.Add(fromQuery.Name ?? property.Name);
                    }
                }
            }
            else if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery)
            {
                names.Add(fromQuery.Name ?? parameter.Name!);
            }
        }
        return names;
    }
}

using System.Diagnostics;

namespace BilateralApi.Infrastructure.Http;

/// <summary>Registers RFC 9457 problem details with the fields every problem carries.</summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Status = status;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = TraceId(context.HttpContext);
            if (!problem.Extensions.ContainsKey("code"))
            {
                problem.Extensions["code"] = Problems.CodeFor(status);
            }
            problem.Detail ??= problem.Title;
            // The default 'exception' extension (development only) carries a stack trace; never send it.
            problem.Extensions.Remove("exception");
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        return services;
    }

    /// <summary>The request's trace id, as every problem states it and the error log line names it.</summary>
    public static string TraceId(HttpContext http) => Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
}

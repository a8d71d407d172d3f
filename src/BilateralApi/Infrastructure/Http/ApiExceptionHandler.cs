using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// Turns exceptions into problem responses: malformed request bodies into 400 with the JSON path,
/// store conflicts into 409, a busy store into 503, and anything unexpected into a 500 that says
/// nothing about the inside (the details go to the log only).
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The client went away; there is no one to answer.
        }

        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            BadHttpRequestException { StatusCode: 400 } bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => MissingBody(),
            BadHttpRequestException bad => Simple(bad.StatusCode, bad.StatusCode switch
            {
                413 => "The request body is larger than allowed.",
                415 => "Send the body as application/json.",
                _ => "The request could not be read.",
            }),
            JsonException json => JsonProblem(json),
            _ => StoreErrors.Classify(exception) switch
            {
                StoreError.UniqueViolation => Simple(409, "The record conflicts with an existing one (same id or natural key)."),
                StoreError.ForeignKeyViolation =>
                    Simple(409, "The change would break a reference between records (for example a source still cited, or a missing referenced record)."),
                StoreError.Busy => Busy(httpContext),
                _ => null,
            },
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception (traceId {TraceId}) for {Method} {Path}", ProblemDetailsSetup.TraceId(httpContext), httpContext.Request.Method, httpContext.Request.Path);
            problem = Simple(500, "An unexpected error occurred. The trace id identifies it in the server log.");
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Simple(int status, string detail) => new()
    {
        Status = status,
        Title = status switch
        {
            400 => "Bad request",
            409 => "Conflict",
            413 => "Payload too large",
            415 => "Unsupported media type",
            503 => "Service unavailable",
            _ => "Internal server error",
        },
        Detail = detail,
        Extensions = { ["code"] = Problems.CodeFor(status) },
    };

    private static ProblemDetails Busy(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = "1";
        return Simple(503, "The store is busy; retry after the time in Retry-After.");
    }

    private static HttpValidationProblemDetails MissingBody() =>
        new(new Dictionary<string, string[]> { ["$"] = ["A JSON request body is required."] })
        {
            Status = 400,
            Title = "Invalid JSON",
            Detail = "The request has no body; this operation takes a JSON document.",
            Extensions = { ["code"] = Problems.InvalidJson },
        };

    /// <summary>A body that is not valid JSON for the operation: name the member by its JSON path.</summary>
    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var field = JsonPaths.ToFieldName(json.Path);
        var message = JsonPaths.Describe(json);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400,
            Title = "Invalid JSON",
            Detail = "The request body is not valid JSON for this operation; see 'errors'.",
            Extensions = { ["code"] = Problems.InvalidJson },
        };
    }
}

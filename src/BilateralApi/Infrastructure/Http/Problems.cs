using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// Stable machine codes for problem responses (docs/security.md, decision 0005) and the factory every slice uses to build
/// them, so the same failure always looks the same. traceId and instance are added centrally by the
/// problem-details customisation in <see cref="ProblemDetailsSetup"/>.
/// </summary>
public static class Problems
{
    public const string ValidationFailed = "validationFailed";
    public const string InvalidJson = "invalidJson";
    public const string InvalidParameter = "invalidParameter";
    public const string UnknownParameter = "unknownParameter";
    public const string InvalidCursor = "invalidCursor";
    public const string NotFound = "notFound";
    public const string Conflict = "conflict";
    public const string AlreadyExists = "alreadyExists";
    public const string PreconditionFailed = "preconditionFailed";
    public const string PreconditionRequired = "preconditionRequired";
    public const string UnsupportedMediaType = "unsupportedMediaType";
    public const string PayloadTooLarge = "payloadTooLarge";
    public const string MethodNotAllowed = "methodNotAllowed";
    public const string NotAcceptable = "notAcceptable";
    public const string ServiceUnavailable = "serviceUnavailable";
    public const string InternalError = "internalError";
    public const string BadRequest = "badRequest";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string RateLimited = "rateLimited";
    public const string IdempotencyKeyInUse = "idempotencyKeyInUse";
    public const string IdempotencyKeyMismatch = "idempotencyKeyMismatch";

    /// <summary>The default code for a status when nothing more specific was said.</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        428 => PreconditionRequired,
        429 => RateLimited,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => "http" + status,
    };

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ProblemHttpResult NotFoundFor(string resource, string id) =>
        Create(404, NotFound, "Not found", $"No {resource} has the id '{id}'.");

    public static ProblemHttpResult Conflicting(string detail) =>
        Create(409, Conflict, "Conflict", detail);

    public static ProblemHttpResult Exists(string resource, string id) =>
        Create(409, AlreadyExists, "Already exists", $"{(resource.Length > 0 && "aeiou".Contains(resource[0], StringComparison.Ordinal) ? "An" : "A")} {resource} with the id '{id}' already exists.");

    public static ProblemHttpResult Stale(string detail) =>
        Create(412, PreconditionFailed, "Precondition failed", detail);

    /// <summary>
    /// Fields listed in a validation problem's 'errors'; the fields beyond are only counted, in
    /// 'errorsOmitted', so a body full of bad values cannot get an answer many times its own size.
    /// </summary>
    public const int MaxListedErrors = 100;

    /// <summary>The extension member counting the fields with errors that 'errors' leaves out (present only then).</summary>
    public const string ErrorsOmitted = "errorsOmitted";

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string code = ValidationFailed, string? detail = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (errors.Count > MaxListedErrors)
        {
            extensions[ErrorsOmitted] = errors.Count - MaxListedErrors;
            errors = errors.Take(MaxListedErrors).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        }
        return TypedResults.ValidationProblem(errors,
            detail: detail ?? "The request has invalid fields; see 'errors'.",
            title: "Validation failed",
            extensions: extensions);
    }

    public static ValidationProblem Parameter(string parameter, string message, string code = InvalidParameter) =>
        Validation(new Dictionary<string, string[]> { [parameter] = [message] }, code, $"The query parameter '{parameter}' is invalid.");
}

using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Documents, in one place, the statuses and headers that the shared mechanisms add to operations:
/// conditional requests (ETag, If-Match, If-None-Match, 304, 412, 428), not-found on items, conflicts,
/// wrong media types, the Link header and weak ETag of lists, API keys (security requirements, 401,
/// 403 on exactly the operations that need a scope), rate limits (429 and the RateLimit-* headers),
/// body limits (413), Idempotency-Key on POST (409, 422, Idempotent-Replayed), and the 500 that any
/// operation can end in. Typed results already document each handler's own 2xx and validation answers.
/// </summary>
public sealed class ProblemResponsesFilter : IOperationFilter
{
    private const string ProblemJson = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var method = context.ApiDescription.HttpMethod?.ToUpperInvariant();
        var path = context.ApiDescription.RelativePath ?? "";
        var isItem = path.EndsWith('}');
        var isApi = path.StartsWith("v1/", StringComparison.Ordinal);
        var versioned = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<VersionedItems>().Any();
        if (!isApi)
        {
            return;
        }
        operation.Responses ??= new OpenApiResponses();
        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);

        void AddProblem(int status, string description)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key))
            {
                return;
            }
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new OpenApiMediaType { Schema = problem } },
            };
        }

        var scopes = ApiConventions.RequiredScopes(context.ApiDescription.ActionDescriptor.EndpointMetadata);
        if (scopes.Count > 0)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.ApiKeyScheme, context.Document)] = [] },
            ];
            AddProblem(401, "Unauthorized: no API key, or one that is unknown or revoked (code unauthorized). The same answer whether or not the record exists.");
            AddProblem(403, $"Forbidden: the API key lacks the scope '{string.Join("', '", scopes)}' (code forbidden).");
        }
        var returnsList = context.ApiDescription.SupportedResponseTypes.Any(r =>
            r.Type is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(Querying.ListPage<>));
        if (method == "GET" && returnsList)
        {
            AddHeaderParameter(operation, "If-None-Match", "The weak ETag of a list fetched before; the answer is 304 while no data has changed.", "W/\"42-0a1b2c3d\"");
            AddResponseHeader(operation, "200", "ETag", "Weak ETag of the list: changes whenever any stored data changes.", EntityTag());
            operation.Responses.TryAdd("304", new OpenApiResponse { Description = "Not modified: no data has changed since the ETag in If-None-Match." });
        }
        if (path.EndsWith("/history", StringComparison.Ordinal))
        {
            AddProblem(404, "Not found: no record with this id was ever stored (code notFound).");
        }

        switch (method)
        {
            case "GET" when isItem && !versioned:
                AddProblem(404, "Not found: no entry has this code (code notFound).");
                break;
            case "GET" when isItem:
                AddHeaderParameter(operation, "If-None-Match", "ETag(s) the client has; the answer is 304 when one is current.", "\"3\"");
                AddResponseHeader(operation, "200", "ETag", "The item's version, for If-None-Match and If-Match.", EntityTag());
                operation.Responses["304"] = new OpenApiResponse { Description = "Not modified: the ETag in If-None-Match is current." };
                AddProblem(404, "Not found: no record has this id (code notFound).");
                break;
            case "GET":
                AddResponseHeader(operation, "200", "Link", "<next page URL>; rel=\"next\", absent on the last page.", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^<[^>]+>; rel=\"next\"$" });
                if (operation.Parameters?.Any(p => p.Name == "count") == true)
                {
                    AddResponseHeader(operation, "200", "X-Total-Count", "Number of matching rows, with count=exact or count=estimate (see page.totalTruncated).", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Maximum = "9223372036854775807" });
                }
                break;
            case "POST":
                AddHeaderParameter(operation, IdempotencyMiddleware.HeaderName,
                    "Makes a retry safe: a repeat with the same key and body within 24 h gets the stored response (Idempotent-Replayed: true) instead of a second write. 1 to 255 printable characters; a UUID is a good choice.",
                    "5f0c6d3e-8f0a-4e59-9d6b-2d9f1b7f6a10");
                AddResponseHeader(operation, "201", "ETag", "The new item's version.", EntityTag());
                AddResponseHeader(operation, "201", "Location", "URL of the new item.", Location());
                AddResponseHeader(operation, "201", IdempotencyMiddleware.ReplayedHeader, "'true' when this is the stored response of an earlier request with the same Idempotency-Key.", new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("true")] });
                AddProblem(409, "Conflict: a record with this id or natural key exists (code alreadyExists or conflict), or a request with the same Idempotency-Key is still running (code idempotencyKeyInUse; retry after Retry-After).");
                AddProblem(415, "Unsupported media type: send application/json (code unsupportedMediaType).");
                AddProblem(422, "Unprocessable: this Idempotency-Key was used with a different request (code idempotencyKeyMismatch).");
                break;
            case "PUT":
                AddHeaderParameter(operation, "If-Match", "Current ETag of the record; required to replace an existing record.", "\"3\"");
                AddHeaderParameter(operation, "If-None-Match", "'*' to create only (412 when the record exists).", "*");
                AddResponseHeader(operation, "200", "ETag", "The item's new version.", EntityTag());
                AddResponseHeader(operation, "201", "ETag", "The new item's version.", EntityTag());
                AddResponseHeader(operation, "201", "Location", "URL of the new item.", Location());
                AddProblem(404, "Not found: the path names no record of this resource, e.g. an id such as '..' that the client resolved away (code notFound). PUT creates a record at any valid id.");
                AddProblem(409, "Conflict: the record would clash with another one (code conflict).");
                AddProblem(412, "Precondition failed: the record is not at the version in If-Match, or exists despite If-None-Match: * (code preconditionFailed).");
                AddProblem(415, "Unsupported media type: send application/json (code unsupportedMediaType).");
                AddProblem(428, "Precondition required: replacing an existing record needs If-Match (code preconditionRequired).");
                break;
            case "PATCH":
                DescribeMergePatchBody(operation, context);
                AddHeaderParameter(operation, "If-Match", "Current ETag of the record (required).", "\"3\"");
                AddResponseHeader(operation, "200", "ETag", "The item's new version.", EntityTag());
                AddProblem(400, "Invalid patch or patched record (code validationFailed or invalidJson).");
                AddProblem(404, "Not found: no record has this id (code notFound).");
                AddProblem(412, "Precondition failed: the record is not at the version in If-Match (code preconditionFailed).");
                AddProblem(415, "Unsupported media type: send application/merge-patch+json (code unsupportedMediaType).");
                AddProblem(428, "Precondition required: send If-Match (code preconditionRequired).");
                break;
            case "DELETE":
                AddHeaderParameter(operation, "If-Match", "Current ETag of the record (required).", "\"3\"");
                AddProblem(404, "Not found: no record has this id (code notFound).");
                AddProblem(409, "Conflict: other records still reference this one (code conflict).");
                AddProblem(412, "Precondition failed: the record is not at the version in If-Match (code preconditionFailed).");
                AddProblem(428, "Precondition required: send If-Match (code preconditionRequired).");
                break;
        }
        // The strict query filter on the /v1 group answers an unknown or repeated query parameter with 400.
        AddProblem(400, "Bad request: an unknown or repeated query parameter (code unknownParameter or validationFailed).");
        if (method is "POST" or "PUT" or "PATCH")
        {
            AddProblem(413, "Payload too large: the body is over the configured limit (code payloadTooLarge).");
        }
        AddProblem(429, "Too many requests: this client's budget for this kind of request is used up (code rateLimited); retry after Retry-After seconds.");
        AddResponseHeader(operation, "429", "Retry-After", "Seconds until the budget allows another request.", Count());
        foreach (var status in operation.Responses.Keys.Where(k => k.StartsWith('2') || k.StartsWith('4')).ToList())
        {
            AddResponseHeader(operation, status, "RateLimit-Limit", "Requests allowed per window for this client and kind of request.", Count());
            AddResponseHeader(operation, status, "RateLimit-Remaining", "Requests left in the current window.", Count());
            AddResponseHeader(operation, status, "RateLimit-Reset", "Seconds until the window resets.", Count());
        }
        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Access-Control-Allow-Origin"] = new OpenApiHeader
            {
                Description = "CORS: sent only when the request's Origin is one of Security:CorsOrigins, and then that origin.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = OpenApiLimits.MaxRequestHeadersBytes },
            };
        }
        if (method == "GET" && operation.Responses.TryGetValue("503", out var timeout) && timeout is OpenApiResponse stopped)
        {
            // Declared by the lists and search: the query ran past its time budget (Querying/QueryBudget).
            stopped.Description = "Service unavailable: the query ran past its time budget and was stopped (code queryTimeout); narrow it, or retry after Retry-After seconds.";
            AddResponseHeader(operation, "503", "Retry-After", "Seconds to wait before retrying.", Count());
        }
        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            AddProblem(503, "Service unavailable: the store is busy; retry after Retry-After seconds (code serviceUnavailable).");
        }
        AddProblem(500, "Internal error: nothing about it is disclosed; the traceId finds it in the server log (code internalError).");
    }

    /// <summary>
    /// PATCH handlers read the raw JSON (to merge it); the body they accept is a partial write shape,
    /// named by the endpoint's Accepts metadata.
    /// </summary>
    private static void DescribeMergePatchBody(OpenApiOperation operation, OperationFilterContext context)
    {
        var accepts = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()
            .FirstOrDefault(a => a.RequestType is not null && a.ContentTypes.Contains(Http.MergePatch.MediaType));
        if (accepts is null || operation.RequestBody?.Content?.TryGetValue(Http.MergePatch.MediaType, out var media) != true || media is null)
        {
            return;
        }
        media.Schema = context.SchemaGenerator.GenerateSchema(accepts.RequestType!, context.SchemaRepository);
        if (operation.RequestBody is OpenApiRequestBody body)
        {
            body.Description = "A JSON Merge Patch (RFC 7396) of the write shape: members given replace, null removes, absent members stay.";
        }
    }

    private static void AddHeaderParameter(OpenApiOperation operation, string name, string description, string example)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Header))
        {
            return;
        }
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = System.Text.Json.Nodes.JsonValue.Create(example),
        });
    }

    /// <summary>An entity tag (RFC 9110 §8.8.3): strong for items, weak (W/) for lists.</summary>
    private static OpenApiSchema EntityTag() => new() { Type = JsonSchemaType.String, Pattern = "^(W/)?\"[\\x21\\x23-\\x7E]*\"$", MaxLength = OpenApiLimits.MaxRequestHeadersBytes };

    private static OpenApiSchema Location() => new() { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = OpenApiLimits.MaxRequestLineBytes };

    /// <summary>A non-negative 32-bit count (rate-limit headers).</summary>
    private static OpenApiSchema Count() => new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "2147483647" };

    private static void AddResponseHeader(OpenApiOperation operation, string status, string name, string description, OpenApiSchema? schema = null)
    {
        if (operation.Responses?.TryGetValue(status, out var response) != true || response is not OpenApiResponse concrete)
        {
            return;
        }
        concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
        concrete.Headers[name] = new OpenApiHeader { Description = description, Schema = schema ?? new OpenApiSchema { Type = JsonSchemaType.String } };
    }
}

using System.Globalization;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Security;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Completes each operation from its endpoint's metadata and nothing else: the meaning of each declared
/// status (the descriptions given with ASP.NET Core's response metadata, see <see cref="EndpointBehaviours"/>),
/// the headers that the declared behaviours read and write (<see cref="IEndpointBehaviour"/>), the security
/// requirement of the scope it needs, the Link and X-Total-Count of pages, ETag and Location on every 201,
/// Retry-After on every 503, CORS,
/// and the merge-patch body. Statuses themselves come from the same metadata through ApiExplorer; this
/// filter adds none, so the document can only say what the endpoint declares.
/// </summary>
public sealed class EndpointMetadataFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();

        foreach (var (status, response) in operation.Responses)
        {
            var descriptions = metadata.OfType<IProducesResponseTypeMetadata>()
                .Where(m => m.StatusCode.ToString(CultureInfo.InvariantCulture) == status && !string.IsNullOrEmpty(m.Description))
                .Select(m => m.Description!)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (descriptions.Count > 0 && response is OpenApiResponse concrete)
            {
                concrete.Description = string.Join(" ", descriptions);
            }
        }

        if (ApiConventions.RequiredScopes(metadata).Count > 0)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.ApiKeyScheme, context.Document)] = [] },
            ];
        }

        // The last declaration of a kind wins, as at run time (an endpoint's rate budget over its group's).
        foreach (var behaviour in metadata.OfType<IEndpointBehaviour>().GroupBy(b => b.GetType()).Select(g => g.Last()))
        {
            foreach (var header in behaviour.RequestHeaders)
            {
                AddHeaderParameter(operation, header);
            }
            foreach (var header in behaviour.ResponseHeaders)
            {
                var statuses = header.Statuses.Length > 0
                    ? header.Statuses.Select(s => s.ToString(CultureInfo.InvariantCulture))
                    : operation.Responses.Keys;
                foreach (var status in statuses.ToList())
                {
                    AddResponseHeader(operation, status, header.Name, header.Description, Schema(header.Kind));
                }
            }
        }

        var returnsPage = context.ApiDescription.SupportedResponseTypes.Any(r =>
            r.StatusCode == 200 && r.Type is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(Querying.ListPage<>));
        if (returnsPage)
        {
            AddResponseHeader(operation, "200", "Link", "<next page URL>; rel=\"next\", absent on the last page.", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^<[^>]+>; rel=\"next\"$" });
            if (operation.Parameters?.Any(p => p.Name == "count") == true)
            {
                AddResponseHeader(operation, "200", "X-Total-Count", "Number of matching rows, with count=exact or count=estimate (see page.totalTruncated).", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Maximum = "9223372036854775807" });
            }
        }
        // A 201 is always a record created through ItemResults: its URL and first version.
        AddResponseHeader(operation, "201", "ETag", "The new item's version.", Schema(HeaderKind.EntityTag));
        AddResponseHeader(operation, "201", "Location", "URL of the new item.", Schema(HeaderKind.Location));
        // Every 503 (a busy store, a query over its time budget) says when to retry.
        AddResponseHeader(operation, "503", "Retry-After", "Seconds to wait before retrying.", Schema(HeaderKind.Count));

        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Access-Control-Allow-Origin"] = new OpenApiHeader
            {
                Description = "CORS: sent only when the request's Origin is one of Security:CorsOrigins, and then that origin.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = OpenApiLimits.MaxRequestHeadersBytes },
            };
        }
        DescribeMergePatchBody(operation, context);
        DescribeExports(operation, context);
    }

    /// <summary>A list's CSV and NDJSON answers are text streams of every row (<see cref="Querying.ExportableMetadata"/>), not its JSON page.</summary>
    private static void DescribeExports(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Querying.ExportableMetadata>().Any()
            || operation.Responses?.TryGetValue("200", out var ok) != true || ok?.Content is not { } content)
        {
            return;
        }
        foreach (var (mediaType, name, description) in Querying.ExportableMetadata.Streams)
        {
            if (!context.SchemaRepository.Schemas.ContainsKey(name))
            {
                context.SchemaRepository.AddDefinition(name, new OpenApiSchema { Type = JsonSchemaType.String, Description = description });
            }
            if (content.TryGetValue(mediaType, out var media) && media is OpenApiMediaType concrete)
            {
                concrete.Schema = new OpenApiSchemaReference(name, context.Document);
            }
        }
    }

    /// <summary>
    /// PATCH handlers read the raw JSON (to merge it); the body they accept is a partial write shape,
    /// named by the endpoint's Accepts metadata.
    /// </summary>
    private static void DescribeMergePatchBody(OpenApiOperation operation, OperationFilterContext context)
    {
        var accepts = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>()
            .FirstOrDefault(a => a.RequestType is not null && a.ContentTypes.Contains(MergePatch.MediaType));
        if (accepts is null || operation.RequestBody?.Content?.TryGetValue(MergePatch.MediaType, out var media) != true || media is null)
        {
            return;
        }
        media.Schema = context.SchemaGenerator.GenerateSchema(accepts.RequestType!, context.SchemaRepository);
        if (operation.RequestBody is OpenApiRequestBody body)
        {
            body.Description = "A JSON Merge Patch (RFC 7396) of the write shape: members given replace, null removes, absent members stay.";
        }
    }

    private static void AddHeaderParameter(OpenApiOperation operation, BehaviourHeader header)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == header.Name && p.In == ParameterLocation.Header))
        {
            return;
        }
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = header.Name,
            In = ParameterLocation.Header,
            Required = false,
            Description = header.Description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = header.Example is null ? null : System.Text.Json.Nodes.JsonValue.Create(header.Example),
        });
    }

    private static OpenApiSchema Schema(HeaderKind kind) => kind switch
    {
        // An entity tag (RFC 9110 §8.8.3): strong for items, weak (W/) for lists.
        HeaderKind.EntityTag => new() { Type = JsonSchemaType.String, Pattern = "^(W/)?\"[\\x21\\x23-\\x7E]*\"$", MaxLength = OpenApiLimits.MaxRequestHeadersBytes },
        HeaderKind.Location => new() { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = OpenApiLimits.MaxRequestLineBytes },
        HeaderKind.Count => new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "2147483647" },
        HeaderKind.True => new() { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("true")] },
        _ => new() { Type = JsonSchemaType.String },
    };

    private static void AddResponseHeader(OpenApiOperation operation, string status, string name, string description, OpenApiSchema schema)
    {
        if (operation.Responses?.TryGetValue(status, out var response) != true || response is not OpenApiResponse concrete)
        {
            return;
        }
        concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
        concrete.Headers[name] = new OpenApiHeader { Description = description, Schema = schema };
    }
}

using System.Globalization;
using BilateralApi.Agreements;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Import;
using BilateralApi.Querying;
using BilateralApi.Sources;
using BilateralApi.TradeRecords;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// The one table of limits that no validator rule states (they are enforced by the query layer, the
/// import, the server, or by a Must rule): applied to every schema, parameter and header that the
/// validator-derived limits (<see cref="ValidationLimitsFilter"/>) leave open. Each value is the constant
/// the enforcing code uses.
/// </summary>
public sealed class OpenApiLimits : IDocumentFilter
{
    /// <summary>
    /// The server's request-line limit (Kestrel's MaxRequestLineSize, set from this constant): method, target
    /// and protocol together. A longer line is answered 414 by the server itself, before the application
    /// runs, so with an empty body rather than a problem.
    /// </summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>The server's limit on all request headers together (Kestrel's MaxRequestHeadersTotalSize); 431 beyond, empty body.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    /// <summary>
    /// The longest value a query or path parameter can have: what is left of the request line around it when
    /// it is the only parameter and every other path value is empty (<c>GET /v1/sources?publisher=… HTTP/1.1</c>).
    /// An upper bound a real request reaches only when the rest of its line is that short.
    /// </summary>
    public static int LongestValue(string method, string path, string name, bool inQuery)
    {
        var bare = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]*}", "");
        // Kestrel counts the line with its CRLF.
        var line = inQuery ? $"{method} {bare}?{name}= HTTP/1.1\r\n" : $"{method} {bare} HTTP/1.1\r\n";
        return MaxRequestLineBytes - line.Length;
    }

    private static readonly Dictionary<string, int> StringParameters = new(StringComparer.Ordinal)
    {
        ["filter"] = FilterParser.MaxLength,
        ["q"] = FullText.MaxLength,
        [IdempotencyMiddleware.HeaderName] = IdempotencyMiddleware.MaxKeyLength,
    };

    private static readonly Dictionary<string, (long Min, long Max)> Integers = new(StringComparer.Ordinal)
    {
        ["year"] = (TradeRecordWriteValidator.MinYear, TradeRecordWriteValidator.MaxYear),
        ["yearFrom"] = (TradeRecordWriteValidator.MinYear, TradeRecordWriteValidator.MaxYear),
        ["yearTo"] = (TradeRecordWriteValidator.MinYear, TradeRecordWriteValidator.MaxYear),
        ["month"] = (1, 12),
        ["quad"] = (1, 4),
        ["status"] = (100, 599),
        ["limit"] = (1, PageParameters.MaxLimit),
    };

    private static readonly Dictionary<string, int> Arrays = new(StringComparer.Ordinal)
    {
        ["items"] = PageParameters.MaxLimit,
        ["parties"] = AgreementWriteValidator.MaxParties,
        ["participants"] = EventWriteValidator.MaxParticipants,
        ["citations"] = CitationRules.MaxCitations,
        ["partners"] = Claims.ClaimWriteValidator.MaxPartners,
        ["results"] = ImportOptions.MaxListedResults,
        ["rejectedRows"] = ImportOptions.MaxListedRejections,
        ["years"] = TradeRecordWriteValidator.MaxYear - TradeRecordWriteValidator.MinYear + 1,
        ["byQuad"] = 4,
        // ListQuery's facet SQL keeps the 100 most frequent values.
        ["facets"] = 100,
        // Code lists without duplicates: at most every code of the list (a test checks the lists' sizes).
        ["subjects"] = StringKind.CodeListMaxEntries,
        ["contexts"] = StringKind.CodeListMaxEntries,
        ["valueBases"] = StringKind.CodeListMaxEntries,
        ["byStatus"] = StringKind.CodeListMaxEntries,
        ["byType"] = StringKind.CodeListMaxEntries,
        ["entries"] = StringKind.CodeListMaxEntries,
        ["buckets"] = Dyads.Buckets.MaxBuckets,
        ["trade"] = TradeRecordWriteValidator.MaxYear - TradeRecordWriteValidator.MinYear + 1,
        // The trade summary's limit parameter allows at most 10000 groups.
        ["groups"] = 10_000,
    };

    /// <summary>
    /// Strings of response shapes that no validator describes (briefs, analytics, catalogs, the change
    /// feed), by member name: the kind of value the server writes there.
    /// </summary>
    public static readonly StringKind ReferenceName = new(Validation.RuleExtensions.TextPattern, Validation.RuleExtensions.NameMaxLength);

    public static readonly StringKind ReferenceText = new(Validation.RuleExtensions.TextPattern, Validation.RuleExtensions.TextMaxLength);

    private static readonly Dictionary<string, StringKind> BodyStrings = BuildBodyStrings();

    private static StringKind OneOf(IReadOnlyList<string> values) =>
        new($"^({string.Join('|', values)})$", values.Max(v => v.Length));

    private static Dictionary<string, StringKind> BuildBodyStrings()
    {
        var table = new Dictionary<string, StringKind>(StringComparer.Ordinal)
        {
            ["id"] = StringKind.RecordId,
            ["claimId"] = StringKind.Slug,
            ["sourceId"] = StringKind.Slug,
            ["parentId"] = StringKind.Slug,
            ["relatedAgreementId"] = StringKind.Slug,
            ["hs"] = StringKind.HsCode,
            // Closed vocabularies fixed in code (not code lists): the pattern is the list itself.
            ["classification"] = OneOf(TradeRecords.TradeClassifications.All),
            ["origin"] = OneOf(TradeRecords.TradeClassifications.Origins),
            ["createdAt"] = StringKind.Timestamp,
            ["updatedAt"] = StringKind.Timestamp,
            ["changedAt"] = StringKind.Timestamp,
            ["href"] = StringKind.Link,
            ["next"] = StringKind.Link,
            ["nextCursor"] = StringKind.Cursor,
            ["keyId"] = new("^[0-9a-f]{16}$", 16),
            ["numeric"] = new("^[0-9]{3}$", 3),
            ["alpha2"] = new("^[A-Z]{2}$", 2),
            // Reference data (code lists, countries, commodities) and search snippets: plain text within the
            // limits the write rules set for names and texts; a test checks the code lists keep to them.
            ["label"] = ReferenceName,
            ["name"] = ReferenceName,
            ["officialName"] = ReferenceName,
            ["description"] = ReferenceText,
            ["snippet"] = ReferenceText,
            ["period"] = new("^[0-9]{4}(-Q[1-4]|-[0-9]{2})?$", 7),
            // Members whose name means something else in one schema: "Schema.member" wins over "member".
            ["BalanceFlow.from"] = new("^(reporter|mirror)$", 8),
            // The change-feed id of the bulk import that wrote a version (decision 0029).
            ["ChangeEntry.import"] = new("^import-[0-9]{1,19}$", 26),
            ["ClaimTolerance.rule"] = ReferenceName,
            // RFC 9457: a problem's type is a URI reference (here the RFC section of the status), not a code.
            ["ProblemDetails.type"] = StringKind.Link,
            ["HttpValidationProblemDetails.type"] = StringKind.Link,
            // A timeline item's key: kind/id, and the milestone for agreements.
            ["key"] = new("^(event/[a-z0-9][a-z0-9-]{2,99}|agreement/[a-z0-9][a-z0-9-]{2,99}/(signed|inForce|validUntil|ended))$", 121),
        };
        foreach (var country in new[] { "country", "reporter", "partner", "reportedBy", "from", "to" })
        {
            table[country] = StringKind.Country;
        }
        foreach (var code in new[]
                 {
                     "code", "type", "status", "role", "consentType", "parentRelation", "mode", "subtype", "verification", "flow",
                     "basis", "valueBasis", "denominatorBasis", "indicator", "qualifier", "unit", "reliability", "supports", "action",
                     "resource", "kind", "outcome", "verdict", "precision", "sector", "level", "interval", "milestone", "rule",
                     "subject", "subjects", "contexts", "parent", "cameo", "groupBy", "metrics", "valueBases", "source",
                 })
        {
            table[code] = StringKind.Code;
        }
        foreach (var date in new[]
                 {
                     "signedOn", "consentedOn", "inForceOn", "withdrawnOn", "publishedOn", "retrievedOn",
                     "validFrom", "validTo", "start", "end", "asOf",
                 })
        {
            table[date] = StringKind.PartialDate;
        }
        return table;
    }

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        foreach (var server in swaggerDoc.Servers ?? [])
        {
            server.Extensions ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiExtension>();
            // The document describes whichever deployment serves it (relative URL): production or any other.
            server.Description = "This server (production, staging or local: whichever deployment serves this document).";
            server.Extensions["x-internal"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(false));
        }
        foreach (var (name, schema) in swaggerDoc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            Visit(schema, name, body: true, owner: name);
        }
        foreach (var (path, item) in swaggerDoc.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                // Only the lists' limit (with cursor paging) is PageParameters.MaxLimit; analytics have their own.
                var paged = operation.Parameters?.Any(p => p.Name == "cursor") == true;
                foreach (var parameter in operation.Parameters ?? [])
                {
                    if (parameter.Schema is { } schema && parameter.Name is { } name)
                    {
                        // Parsed by hand (a bad value is a 400 with a message, not a binding failure), so bound as a string.
                        if (name == "limit" && paged && schema is OpenApiSchema { Type: JsonSchemaType.String } limit)
                        {
                            limit.Type = JsonSchemaType.Integer;
                            if (parameter is OpenApiParameter { Example: { } example } concrete &&
                                long.TryParse(example.ToString(), CultureInfo.InvariantCulture, out var number))
                            {
                                concrete.Example = System.Text.Json.Nodes.JsonValue.Create(number);
                            }
                        }
                        var max = StringParameters.TryGetValue(name, out var known) ? known
                            : parameter.In == ParameterLocation.Header ? MaxRequestHeadersBytes
                            : LongestValue(method.Method, path, name, parameter.In == ParameterLocation.Query);
                        Visit(schema, name == "limit" && !paged ? "" : name, body: false, max);
                    }
                }
                foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                {
                    if (media.Schema is { } schema)
                    {
                        Visit(schema, "", body: true);
                    }
                }
                foreach (var response in operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
                {
                    foreach (var (name, header) in response.Headers ?? (IDictionary<string, IOpenApiHeader>)new Dictionary<string, IOpenApiHeader>())
                    {
                        if (header.Schema is { } schema)
                        {
                            Visit(schema, name, body: false, MaxRequestHeadersBytes);
                        }
                    }
                }
            }
        }
    }

    private static void Visit(IOpenApiSchema schema, string name, bool body, int? stringMax = null, string? owner = null, string? parent = null)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }
        var type = concrete.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.Integer))
        {
            concrete.Format ??= "int32";
            var (min, max) = Integers.TryGetValue(name, out var range) ? range : (0, concrete.Format == "int64" ? long.MaxValue : int.MaxValue);
            concrete.Minimum ??= min.ToString(CultureInfo.InvariantCulture);
            concrete.Maximum ??= max.ToString(CultureInfo.InvariantCulture);
        }
        if (type.HasFlag(JsonSchemaType.String) && concrete.Enum is not { Count: > 0 })
        {
            if (body && concrete.MaxLength is null && concrete.Pattern is null
                && (BodyStrings.TryGetValue($"{parent}.{name}", out var kind) || BodyStrings.TryGetValue(name, out kind)))
            {
                kind.ApplyTo(concrete);
            }
            if (concrete.MaxLength is null && stringMax is { } limit)
            {
                concrete.MaxLength = limit;
            }
        }
        if (type.HasFlag(JsonSchemaType.Array) && concrete.MaxItems is null && Arrays.TryGetValue(name, out var maxItems))
        {
            concrete.MaxItems = maxItems;
        }
        foreach (var (property, child) in concrete.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            Visit(child, property, body, parent: owner);
        }
        if (concrete.Items is { } items)
        {
            Visit(items, name, body, stringMax);
        }
        if (concrete.AdditionalProperties is { } additional)
        {
            Visit(additional, name, body);
        }
    }
}

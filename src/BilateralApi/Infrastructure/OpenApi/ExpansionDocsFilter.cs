using BilateralApi.Querying;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// Declares the members expand= adds to list items (<see cref="ItemShaper"/>), so that a response with
/// them still matches the closed schemas: '…Name' beside each country code (expand=countryNames) and
/// 'source' in each citation (expand=citations.source). They are optional and readOnly: absent without
/// the expansion, and never sent in a write (the strict JSON reader refuses them there).
/// </summary>
public sealed class ExpansionDocsFilter : IDocumentFilter
{
    public const string CitedSource = "CitedSource";

    /// <summary>The item schemas (and their nested objects) that carry country codes the shaper names.</summary>
    private static readonly Dictionary<string, string[]> CountryMembers = new(StringComparer.Ordinal)
    {
        ["AgreementParty"] = ["country"],
        ["EventParticipant"] = ["country"],
        ["EventLocation"] = ["country"],
        ["ClaimResponse"] = ["reporter", "partner"],
        ["TradeRecordResponse"] = ["reporter", "partner"],
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var schemas = swaggerDoc.Components?.Schemas;
        if (schemas is null)
        {
            return;
        }
        foreach (var (name, members) in CountryMembers)
        {
            if (schemas.TryGetValue(name, out var found) && found is OpenApiSchema schema && schema.Properties is { } properties)
            {
                foreach (var member in members.Where(m => ItemShaper.CountryProperties.Contains(m) && properties.ContainsKey(m)))
                {
                    var named = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        ReadOnly = true,
                        Description = $"With expand=countryNames: the English short name of '{member}'.",
                    };
                    OpenApiLimits.ReferenceName.ApplyTo(named);
                    properties[member + "Name"] = named;
                }
            }
        }
        schemas[CitedSource] = Source();
        if (schemas.TryGetValue("Citation", out var citation) && citation is OpenApiSchema { Properties: { } citationProperties })
        {
            citationProperties["source"] = new OpenApiSchema
            {
                AllOf = [new OpenApiSchemaReference(CitedSource, swaggerDoc)],
                ReadOnly = true,
                Description = "With expand=citations.source (lists): the cited source in short.",
            };
        }
    }

    /// <summary>The source summary expand=citations.source puts in a citation.</summary>
    private static OpenApiSchema Source()
    {
        OpenApiSchema Text(StringKind kind, bool nullable, string? description = null)
        {
            var schema = new OpenApiSchema { Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String, Description = description };
            kind.ApplyTo(schema);
            return schema;
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A cited source in short (expand=citations.source); the whole record is at /v1/sources/{id}.",
            AdditionalPropertiesAllowed = false,
            Required = new HashSet<string> { "id", "type", "reliability" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = Text(StringKind.Slug, false),
                ["type"] = Text(StringKind.Code, false, "sourceType code."),
                ["title"] = Text(OpenApiLimits.ReferenceText, true),
                ["author"] = Text(OpenApiLimits.ReferenceName, true),
                ["publisher"] = Text(OpenApiLimits.ReferenceName, true),
                ["url"] = Text(StringKind.HttpUrl, true),
                ["publishedOn"] = Text(StringKind.PartialDate, true),
                ["reliability"] = Text(StringKind.Code, false, "reliability code (A–E)."),
            },
        };
    }
}

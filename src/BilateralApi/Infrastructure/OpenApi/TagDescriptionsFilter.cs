using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>Declares every tag once at the document root, with a description.</summary>
public sealed class TagDescriptionsFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["Agreements"] = "Treaties, MoUs, programmes, licences and contracts between two or more parties, with their lifecycle dates.",
        ["Events"] = "Dated happenings between countries (visits, openings, licences, attacks, statements), coded with PLOVER.",
        ["Trade records"] = "Reported trade: reporter, partner, period, flow, HS commodity, value, weight and quantity.",
        ["Claims"] = "Statistics as a source states them, such as shares of a country's imports.",
        ["Sources"] = "Where every fact comes from: publisher, title, URL, dates, licence and reliability.",
        ["Reference data"] = "Countries (ISO 3166-1), HS commodity codes and the controlled vocabularies.",
        ["Changes"] = "The change feed across resources (with tombstones for deletes) and the stored versions of each record.",
        ["Health"] = "Liveness and readiness probes.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var used = swaggerDoc.Paths.Values
            .SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        swaggerDoc.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = Descriptions.GetValueOrDefault(name, name),
        }));
    }
}

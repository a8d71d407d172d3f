using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// The two bodies that are partial by design get schemas of their own, so the full schemas can be strict
/// (decision 0021):
/// <list type="bullet">
/// <item>A JSON Merge Patch body names only what changes: <c>XPatch</c> is the write shape with nothing
/// required. Nested objects merge member by member, so they are partial too; a list is replaced whole, so
/// its items stay complete.</item>
/// <item>With fields= a list's items carry only the named members: <c>XPartial</c> (nothing required) in
/// the page <c>XPartialListPage</c>. The 200 response keeps the full page, which is what clients get
/// without fields=; the fields parameter names the partial page in <see cref="FieldsSchemaExtension"/>.</item>
/// </list>
/// </summary>
public sealed class PartialSchemasFilter : IDocumentFilter
{
    public const string FieldsSchemaExtension = "x-fields-schema";
    private const string ListPage = "ListPage";

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        if (swaggerDoc.Components?.Schemas is not { } schemas)
        {
            return;
        }
        foreach (var operation in swaggerDoc.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            if (operation.RequestBody?.Content?.TryGetValue(Http.MergePatch.MediaType, out var patch) == true &&
                patch?.Schema is OpenApiSchemaReference { Reference.Id: { } written })
            {
                patch.Schema = new OpenApiSchemaReference(Patch(swaggerDoc, schemas, written), swaggerDoc);
            }
            if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == "fields" && p.In == ParameterLocation.Query) is { } fields &&
                operation.Responses?.TryGetValue("200", out var ok) == true && ok?.Content?.TryGetValue("application/json", out var json) == true &&
                json?.Schema is OpenApiSchemaReference { Reference.Id: { } page } && page.EndsWith(ListPage, StringComparison.Ordinal))
            {
                var partialPage = SparsePage(swaggerDoc, schemas, page);
                // Before the "Example: …" that the examples filter appended.
                var said = $"The answer is then a page of {partialPage[..^ListPage.Length]} items: each has only the named members ({partialPage}).";
                var text = fields.Description ?? "";
                var example = text.IndexOf(" Example:", StringComparison.Ordinal);
                fields.Description = example < 0 ? $"{text.TrimEnd()} {said}" : $"{text[..example]} {said}{text[example..]}";
                fields.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                fields.Extensions[FieldsSchemaExtension] = new JsonNodeExtension(new JsonObject { ["$ref"] = $"#/components/schemas/{partialPage}" });
            }
        }
    }

    /// <summary>XWrite → XPatch (DateValue → DateValuePatch): nothing required, nested objects partial.</summary>
    private static string Patch(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas, string name)
    {
        var patchName = (name.EndsWith("Write", StringComparison.Ordinal) ? name[..^"Write".Length] : name) + "Patch";
        if (schemas.ContainsKey(patchName) || schemas[name] is not OpenApiSchema full)
        {
            return patchName;
        }
        var partial = WithoutRequired(full);
        partial.Description = $"A JSON Merge Patch (RFC 7396) of {name}: members given replace, null removes, absent members stay. " +
            "After the merge the whole record must be a valid write.";
        schemas[patchName] = partial;
        foreach (var (member, schema) in full.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            // A nested object is merged into the stored one, so it too may name only what changes.
            if (schema is OpenApiSchema { AllOf: [OpenApiSchemaReference { Reference.Id: { } nested }] } composed &&
                schemas.TryGetValue(nested, out var target) && target.Required?.Count > 0)
            {
                var merged = Copy(composed);
                merged.AllOf = [new OpenApiSchemaReference(Patch(document, schemas, nested), document)];
                partial.Properties![member] = merged;
            }
        }
        return patchName;
    }

    /// <summary>XListPage → XPartialListPage, whose items are XPartial.</summary>
    private static string SparsePage(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas, string page)
    {
        var item = page[..^ListPage.Length];
        var partialItem = item + "Partial";
        var partialPage = partialItem + ListPage;
        if (schemas.ContainsKey(partialPage) || schemas[page] is not OpenApiSchema full || schemas[item] is not OpenApiSchema fullItem)
        {
            return partialPage;
        }
        var sparse = WithoutRequired(fullItem);
        sparse.Description = $"An item of a list asked with fields=: the members of {item} that fields= names, and only those.";
        sparse.Example = null;
        schemas[partialItem] = sparse;
        var pageSchema = Copy(full);
        pageSchema.Properties = new Dictionary<string, IOpenApiSchema>(full.Properties!, StringComparer.Ordinal);
        pageSchema.Description = $"A page of a list asked with fields=: as {page}, with items that carry only the named members.";
        if (pageSchema.Properties["items"] is OpenApiSchema items)
        {
            var partialItems = Copy(items);
            partialItems.Items = new OpenApiSchemaReference(partialItem, document);
            pageSchema.Properties["items"] = partialItems;
        }
        schemas[partialPage] = pageSchema;
        return partialPage;
    }

    private static OpenApiSchema WithoutRequired(OpenApiSchema full)
    {
        var partial = Copy(full);
        partial.Required = new SortedSet<string>(StringComparer.Ordinal);
        partial.Properties = full.Properties is null ? null : new Dictionary<string, IOpenApiSchema>(full.Properties, StringComparer.Ordinal);
        return partial;
    }

    private static OpenApiSchema Copy(OpenApiSchema schema) => (OpenApiSchema)schema.CreateShallowCopy();
}

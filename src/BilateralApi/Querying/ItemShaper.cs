using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using Dapper;

namespace BilateralApi.Querying;

/// <summary>
/// Shapes served items: expand= adds related data (country names, the sources of citations) and
/// fields= keeps only the named top-level fields. Works on the JSON form, so every list shares it.
/// </summary>
public sealed class ItemShaper
{
    public static readonly ItemShaper None = new();
    public static readonly string[] Expansions = ["countryNames", "citations.source"];
    public static readonly string[] CountryProperties = ["country", "reporter", "partner"];

    private HashSet<string>? _fields;
    private bool _countryNames;
    private bool _citationSources;
    private CountryCatalog? _countries;

    /// <summary>The fields kept (null: all).</summary>
    public IReadOnlySet<string>? Fields => _fields;

    public static ItemShaper Create<TItem>(string? fields, string? expand, JsonSerializerOptions json, CountryCatalog countries, ListFilters filters)
    {
        var shaper = new ItemShaper { _countries = countries };
        var names = json.GetTypeInfo(typeof(TItem)).Properties.Select(p => p.Name).ToList();
        if (fields is not null)
        {
            shaper._fields = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in fields.Split(',', StringSplitOptions.TrimEntries))
            {
                if (names.Contains(name))
                {
                    shaper._fields.Add(name);
                    continue;
                }
                var suggestion = FilterCompiler.Suggest(name, names);
                filters.Error("fields", $"'{name}' is not a field." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?") + $" Allowed: {string.Join(", ", names)}.");
            }
        }
        if (expand is not null)
        {
            var allowed = Expansions.Where(e => e != "citations.source" || names.Contains("citations")).ToList();
            foreach (var name in expand.Split(',', StringSplitOptions.TrimEntries))
            {
                switch (name)
                {
                    case "countryNames":
                        shaper._countryNames = true;
                        break;
                    case "citations.source" when names.Contains("citations"):
                        shaper._citationSources = true;
                        break;
                    default:
                        filters.Error("expand", $"'{name}' cannot be expanded here. Allowed: {string.Join(", ", allowed)}.");
                        break;
                }
            }
        }
        return shaper;
    }

    /// <summary>
    /// The items as UTF-8 JSON, one buffer each, as the page would show them (for exports). Without fields=
    /// or expand= the items are serialised directly, with no JSON node tree in between.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> ShapeUtf8Async<TItem>(DbConnection connection, IReadOnlyList<TItem> items, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (_fields is null && !_countryNames && !_citationSources)
        {
            return [.. items.Select(i => JsonSerializer.SerializeToUtf8Bytes(i, json))];
        }
        return [.. (await ShapeAsync(connection, items, json, cancellationToken)).Select(n => JsonSerializer.SerializeToUtf8Bytes(n, json))];
    }

    public async Task<IReadOnlyList<JsonObject>> ShapeAsync<TItem>(DbConnection connection, IReadOnlyList<TItem> items, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var nodes = items.Select(i => JsonSerializer.SerializeToNode(i, json)!.AsObject()).ToList();
        if (_citationSources)
        {
            await AddSourcesAsync(connection, nodes, json, cancellationToken);
        }
        if (_countryNames)
        {
            foreach (var node in nodes)
            {
                AddCountryNames(node);
            }
        }
        if (_fields is not null)
        {
            foreach (var node in nodes)
            {
                foreach (var name in node.Select(p => p.Key).Where(k => !_fields.Contains(k)).ToList())
                {
                    node.Remove(name);
                }
            }
        }
        return nodes;
    }

    private void AddCountryNames(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (CountryProperties.Contains(name) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String && _countries!.Get(v.GetValue<string>()) is { } country)
                    {
                        obj[name + "Name"] = country.Name;
                    }
                    else
                    {
                        AddCountryNames(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AddCountryNames(item);
                }
                break;
        }
    }

    private sealed class SourceSummary
    {
        public string Id { get; set; } = "";
        public string Type { get; set; } = "";
        public string? Title { get; set; }
        public string? Author { get; set; }
        public string? Publisher { get; set; }
        public string? Url { get; set; }
        public string? PublishedOn { get; set; }
        public string Reliability { get; set; } = "";
    }

    private static async Task AddSourcesAsync(DbConnection connection, List<JsonObject> nodes, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var citations = nodes.SelectMany(n => n["citations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var ids = citations.Select(c => c["sourceId"]?.GetValue<string>()).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return;
        }
        var sources = (await connection.QueryAsync<SourceSummary>(SqlLists.Command(
            "SELECT id AS Id, type AS Type, title AS Title, author AS Author, publisher AS Publisher, url AS Url, published_on AS PublishedOn, reliability AS Reliability FROM source WHERE id IN {0}",
            ids, cancellationToken: cancellationToken))).ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var citation in citations)
        {
            if (citation["sourceId"]?.GetValue<string>() is { } id && sources.TryGetValue(id, out var source))
            {
                citation["source"] = JsonSerializer.SerializeToNode(source, json);
            }
        }
    }
}

/// <summary>A flat CSV column: its header and the path of JSON properties to its value.</summary>
public sealed record CsvColumn(string Name, string[] Path);

/// <summary>
/// The flat CSV columns of an item type, derived once from its JSON shape: scalars as they are, nested
/// objects (dates, locations) as dotted columns (signed.value, signed.precision), lists of scalars
/// joined with '|', lists of objects (parties, citations) as compact JSON in one cell.
/// </summary>
public static class CsvColumns
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<CsvColumn>> Cache = new();

    public static IReadOnlyList<CsvColumn> For(Type type, JsonSerializerOptions json) =>
        Cache.GetOrAdd(type, t =>
        {
            var columns = new List<CsvColumn>();
            Add(columns, t, [], json, 0);
            return columns;
        });

    private static void Add(List<CsvColumn> columns, Type type, string[] path, JsonSerializerOptions json, int depth)
    {
        foreach (var property in json.GetTypeInfo(type).Properties)
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            string[] here = [.. path, property.Name];
            if (IsScalar(propertyType) || typeof(IEnumerable).IsAssignableFrom(propertyType) || depth >= 2)
            {
                columns.Add(new CsvColumn(string.Join('.', here), here));
            }
            else
            {
                Add(columns, propertyType, here, json, depth + 1);
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset) ||
        type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(Guid);

    /// <summary>
    /// One cell as it goes on the line, quoted here rather than by the CSV writer: empty for null or
    /// missing; numbers and booleans as written; text (strings, joined lists, JSON of objects) quoted
    /// when it holds a comma, quote or line break — and, when it starts with a character a spreadsheet
    /// reads as the start of a formula, prefixed with a single quote and always quoted (decision 0024).
    /// </summary>
    public static string Cell(JsonElement item, CsvColumn column)
    {
        var node = item;
        foreach (var name in column.Path)
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node))
            {
                return "";
            }
        }
        return node.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            // Numbers stay numbers: a negative value is data, not a formula.
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => node.GetRawText(),
            JsonValueKind.String => Text(node.GetString()!),
            JsonValueKind.Array when node.EnumerateArray().All(a => a.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
                Text(string.Join('|', node.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : a.GetRawText()))),
            // Objects and lists of objects as their compact JSON.
            _ => Text(node.GetRawText()),
        };
    }

    /// <summary>The characters OWASP lists as starting a formula (or, tab and carriage return, a cell that does).</summary>
    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    /// <summary>RFC 4180 quoting, with formula text neutralised as OWASP's CSV injection guidance says.</summary>
    private static string Text(string value)
    {
        var formula = value.Length > 0 && FormulaStart.Contains(value[0]);
        if (!formula && !value.AsSpan().ContainsAny(NeedsQuotes))
        {
            return value;
        }
        return string.Concat("\"", formula ? "'" : "", value.Replace("\"", "\"\"", StringComparison.Ordinal), "\"");
    }
}

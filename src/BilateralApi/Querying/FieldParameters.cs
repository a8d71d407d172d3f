using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using BilateralApi.Countries;

namespace BilateralApi.Querying;

/// <summary>Endpoint metadata: the list answers per-field parameters for the fields of this map.</summary>
public sealed record QueryFieldsMetadata(QueryResource Resource);

/// <summary>
/// Per-field parameters for every field of a list's field map that has no parameter of its own
/// (docs/querying.md, layer 1; decision 0017): <c>publisher=AzerNews</c>, <c>valueUsd=1000000..</c>, <c>createdAt=2026-11..</c>,
/// <c>parties.role=licensee</c>, <c>id=a,b</c>. The value grammar is the one of every per-field
/// parameter ("a", "a,b" any of, "!a,b" none of, "lo..hi" ranges, partial dates by overlap); each value is
/// turned into a filter= condition and compiled by <see cref="FilterCompiler"/>, so a parameter means
/// exactly what the same condition in filter= means (types, country forms, money in dollars, NULLs,
/// EXISTS over related rows). The field maps stay the single list of what can be filtered: the OpenAPI
/// document declares these parameters from them (<c>FieldParametersFilter</c>) and the strict query
/// filter accepts them.
/// </summary>
public static class FieldParameters
{
    private static readonly ConcurrentDictionary<MethodInfo, IReadOnlySet<string>> Declared = new();

    /// <summary>Adds metadata so that the list takes a parameter for every field of <paramref name="resource"/>.</summary>
    public static TBuilder WithQueryFields<TBuilder>(this TBuilder builder, QueryResource resource) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryFieldsMetadata(resource));

    /// <summary>The fields that get a generic parameter: those without a parameter of the same name declared by the handler.</summary>
    public static IEnumerable<QueryField> Generic(QueryResource resource, IReadOnlySet<string> declared) =>
        resource.Fields.Prepend(resource.Id).DistinctBy(f => f.Name).Where(f => !declared.Contains(f.Name));

    /// <summary>The query parameter names the endpoint's handler declares ([FromQuery], also inside [AsParameters]).</summary>
    public static IReadOnlySet<string> DeclaredNames(MethodInfo method) => Declared.GetOrAdd(method, static m =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in m.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties())
                {
                    if (property.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromQueryAttribute>() is { } fromQuery)
                    {
                        names.Add(fromQuery.Name ?? property.Name);
                    }
                }
            }
            else if (parameter.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromQueryAttribute>() is { } fromQuery)
            {
                names.Add(fromQuery.Name ?? parameter.Name!);
            }
        }
        return names;
    });

    /// <summary>The generic parameter names an endpoint takes besides its declared ones (none without <see cref="QueryFieldsMetadata"/>).</summary>
    public static IEnumerable<string> GenericNames(Endpoint? endpoint)
    {
        if (endpoint?.Metadata.GetMetadata<QueryFieldsMetadata>() is not { } fields || endpoint.Metadata.GetMetadata<MethodInfo>() is not { } method)
        {
            return [];
        }
        return Generic(fields.Resource, DeclaredNames(method)).Select(f => f.Name);
    }

    /// <summary>
    /// Adds a condition for each generic parameter in <paramref name="query"/> (the names in
    /// <paramref name="declared"/> are the list's own); a malformed value is an error naming its parameter.
    /// </summary>
    public static void Apply(IReadOnlyList<KeyValuePair<string, string?>> query, IReadOnlySet<string> declared, QueryResource resource, ListFilters filters, CountryCatalog countries)
    {
        var compiler = new FilterCompiler(resource, filters.Sql, countries);
        foreach (var field in Generic(resource, declared))
        {
            if (query.FirstOrDefault(q => string.Equals(q.Key, field.Name, StringComparison.OrdinalIgnoreCase)).Value is not { } raw)
            {
                continue;
            }
            if (!FilterValue.TryParse(raw, TakesRanges(field), out var value, out var error))
            {
                filters.Error(field.Name, error!);
                continue;
            }
            try
            {
                filters.Sql.Add(compiler.Compile(Condition(field, value!)));
            }
            catch (FilterException ex)
            {
                filters.Error(field.Name, ex.Message);
            }
        }
    }

    // A range over related rows would be two separate EXISTS (some row >= lo, some row <= hi): not offered.
    public static bool TakesRanges(QueryField field) => field.Related is null && field.Type is not (FieldType.Boolean or FieldType.Country);

    /// <summary>The filter= condition a parameter value means: any of = in (...), none of = not in (...), a range = ge and le.</summary>
    private static FilterNode Condition(QueryField field, FilterValue value)
    {
        var name = new FilterToken(FilterTokenKind.Identifier, field.Name, 1, field.Name);
        return value switch
        {
            FilterValue.AnyOf any => new FilterNode.In(name, [.. any.Values.Select(v => Literal(field, v))]),
            // not (f in (...)): the compiler keeps comparisons two-valued, so rows where f is NULL stay, and on
            // related rows it is "no related row has any of them", as in filter=.
            FilterValue.NoneOf none => new FilterNode.Not(new FilterNode.In(name, [.. none.Values.Select(v => Literal(field, v))])),
            FilterValue.Range range => new[]
                {
                    range.Low is null ? null : new FilterNode.Compare(name, "ge", Literal(field, range.Low)),
                    range.High is null ? null : new FilterNode.Compare(name, "le", Literal(field, range.High)),
                }.OfType<FilterNode>().Aggregate((left, right) => new FilterNode.And(left, right)),
            _ => throw new InvalidOperationException("Unknown filter value."),
        };
    }

    /// <summary>A parameter value as the literal filter= would have: numbers for numeric fields, words for booleans, text otherwise.</summary>
    private static FilterToken Literal(QueryField field, string text) => field.Type switch
    {
        FieldType.Integer or FieldType.Number or FieldType.Money when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            => new FilterToken(FilterTokenKind.Number, text, 1, text),
        FieldType.Boolean => new FilterToken(FilterTokenKind.Identifier, text, 1, text),
        _ => new FilterToken(FilterTokenKind.String, text, 1, $"'{text}'"),
    };

    /// <summary>What the parameter takes, for the OpenAPI document.</summary>
    public static string Description(QueryField field)
    {
        var values = field.Type switch
        {
            FieldType.Boolean => "true or false",
            FieldType.Country => "Countries (ISO 3166-1 alpha-3, alpha-2 or numeric): a, a,b (any of) or !a,b (none of)",
            FieldType.Date => "Overlaps the period: YYYY, YYYY-MM or YYYY-MM-DD; a,b (any of) or !a,b (none of)",
            FieldType.Money => "US dollars: a, a,b (any of) or !a,b (none of)",
            FieldType.Integer => "Whole numbers: a, a,b (any of) or !a,b (none of)",
            FieldType.Number => "Numbers: a, a,b (any of) or !a,b (none of)",
            FieldType.Text => "Exact text: a, a,b (any of) or !a,b (none of)",
            _ => "Exact codes: a, a,b (any of) or !a,b (none of)",
        };
        var ranges = !TakesRanges(field) ? ""
            : field.Type is FieldType.Text or FieldType.Code ? "; or a range lo..hi, lo.., ..hi in text order"
            : "; or a range lo..hi, lo.., ..hi";
        var words = field.Type == FieldType.Text ? " For words, use q= or filter=contains()." : "";
        var scope = field.Related is null ? "" : " Matches when any related row has one of the values; none-of: when none has.";
        return $"{values}{ranges}.{scope}{words} The same as this condition on '{field.Name}' in filter=.";
    }

    /// <summary>
    /// The shape of a parameter value for the OpenAPI document (a fuzzer generates from it; the server stays
    /// the judge of meaning, e.g. whether a code exists): the value grammar over the field type's literals.
    /// Null for free text.
    /// </summary>
    public static string? Pattern(QueryField field)
    {
        var literal = field.Type switch
        {
            FieldType.Integer => "-?[0-9]{1,18}",
            FieldType.Number => "-?[0-9]{1,17}(\\.[0-9]{1,6})?",
            // Dollars that fit in INTEGER cents (FilterCompiler refuses more).
            FieldType.Money => "-?[0-9]{1,16}(\\.[0-9]{1,2})?",
            FieldType.Date => "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?",
            FieldType.Country => "([A-Za-z]{2,3}|[0-9]{3})",
            FieldType.Boolean => "(true|false)",
            FieldType.Code => "[A-Za-z0-9][A-Za-z0-9_.:/-]*",
            _ => null,
        };
        if (literal is null)
        {
            return null;
        }
        var list = $"!?{literal}(,{literal})*";
        return TakesRanges(field) ? $"^({list}|{literal}\\.\\.({literal})?|\\.\\.{literal})$" : $"^{list}$";
    }

    /// <summary>An example value for the OpenAPI document: the field's own, else one by type.</summary>
    public static string Example(QueryField field) => field.Example ?? field.Type switch
    {
        FieldType.Boolean => "true",
        FieldType.Country => "AZE",
        FieldType.Date => "2023",
        FieldType.Money => "1000000..",
        FieldType.Integer => "1..10",
        FieldType.Number => "0..100",
        _ => throw new InvalidOperationException($"The field '{field.Name}' needs an example for its parameter."),
    };
}

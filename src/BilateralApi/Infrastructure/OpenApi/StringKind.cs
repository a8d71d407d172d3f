using BilateralApi.Infrastructure.Validation;
using Microsoft.OpenApi;

namespace BilateralApi.Infrastructure.OpenApi;

/// <summary>
/// The shape of one kind of string as the shared validation rules accept it (or as the server writes it),
/// stated once: pattern, longest length, format. A null member leaves what the schema already has.
/// </summary>
public sealed record StringKind(string? Pattern, int? MaxLength, string? Format = null)
{
    /// <summary><see cref="RuleExtensions.IsSlug{T}"/>: 3 to 100 characters.</summary>
    public static readonly StringKind Slug = new(RuleExtensions.SlugPattern().ToString(), 100);

    /// <summary>An id in a cross-resource answer: a slug, or a trade record's integer id as text.</summary>
    public static readonly StringKind RecordId = new("^([a-z0-9][a-z0-9-]{2,99}|[0-9]{1,19})$", 100);

    /// <summary>
    /// A code of a code list (<see cref="RuleExtensions.IsCode{T}"/> checks membership; every code in
    /// data/reference/codelists.csv has this shape, which a test checks).
    /// </summary>
    public static readonly StringKind Code = new("^[A-Za-z0-9][A-Za-z0-9-]*$", CodeMaxLength);

    public const int CodeMaxLength = 40;

    /// <summary>The most codes one code list holds (a test checks every list).</summary>
    public const int CodeListMaxEntries = 100;

    /// <summary>
    /// ISO 3166-1 alpha-3, alpha-2 or numeric on input; alpha-3 on output, or the code of a reference area
    /// of trade statistics (S19, X899: decision 0028).
    /// </summary>
    public static readonly StringKind Country = new("^([A-Za-z]{2,3}|[0-9]{3}|[A-Z][A-Z0-9]{2,3})$", 4);

    /// <summary>
    /// A commodity code: for HS, TOTAL, a chapter, heading or subheading; in other classifications (SITC,
    /// EBOPS: decision 0028) letters, digits and dots, at most 12.
    /// </summary>
    public static readonly StringKind HsCode = new("^(TOTAL|[0-9]{2}|[0-9]{4}|[0-9]{6}|[A-Za-z0-9.]{1,12})$", 12);

    /// <summary>YYYY, YYYY-MM or YYYY-MM-DD.</summary>
    public static readonly StringKind PartialDate = new("^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", 10);

    public static readonly StringKind HttpUrl = new(null, RuleExtensions.UrlMaxLength, "uri");

    /// <summary><see cref="RuleExtensions.IsText{T}"/>: its length comes from the rule's own MaximumLength.</summary>
    public static readonly StringKind Text = new(RuleExtensions.TextPattern, null);

    /// <summary>An instant as System.Text.Json writes a DateTimeOffset (at most yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm).</summary>
    public static readonly StringKind Timestamp = new(null, 33, "date-time");

    /// <summary>A link the server writes: a path and query that came in through the request line.</summary>
    public static readonly StringKind Link = new(null, OpenApiLimits.MaxRequestLineBytes, "uri-reference");

    /// <summary>
    /// A keyset cursor travelling in the query string: base64url payload '.' base64url signature (lists,
    /// search), or the change feed's sequence number.
    /// </summary>
    public static readonly StringKind Cursor = new("^[A-Za-z0-9_.-]+$", OpenApiLimits.MaxRequestLineBytes);

    public static readonly IReadOnlyDictionary<string, StringKind> ByRuleCode = new Dictionary<string, StringKind>(StringComparer.Ordinal)
    {
        [RuleCodes.Slug] = Slug,
        [RuleCodes.Code] = Code,
        [RuleCodes.Country] = Country,
        [RuleCodes.HsCode] = HsCode,
        [RuleCodes.PartialDate] = PartialDate,
        [RuleCodes.HttpUrl] = HttpUrl,
        [RuleCodes.Text] = Text,
    };

    public void ApplyTo(OpenApiSchema schema)
    {
        if (schema.Enum is { Count: > 0 })
        {
            return;
        }
        if (Pattern is not null && schema.Format is null)
        {
            schema.Pattern ??= Pattern;
        }
        if (Format is not null && schema.Pattern is null)
        {
            schema.Format ??= Format;
        }
        if (MaxLength is { } max)
        {
            schema.MaxLength = schema.MaxLength is { } existing ? Math.Min(existing, max) : max;
        }
    }
}

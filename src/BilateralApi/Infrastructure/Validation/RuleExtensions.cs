using System.Text.RegularExpressions;
using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Dates;
using FluentValidation;

namespace BilateralApi.Infrastructure.Validation;

/// <summary>The rules every write validator shares, each with a message a user can act on.</summary>
public static partial class RuleExtensions
{
    public const int TitleMaxLength = 500;
    public const int TextMaxLength = 4000;
    public const int NameMaxLength = 300;
    public const int UrlMaxLength = 2000;

    /// <summary>What <see cref="IsText{T}"/> rejects, as the OpenAPI document states it: C0 and C1 control characters other than tab and line breaks.</summary>
    public const string TextPattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";


    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,99}$")]
    public static partial Regex SlugPattern();

    public static IRuleBuilderOptions<T, string?> IsSlug<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || SlugPattern().IsMatch(v))
            .WithMessage("'{PropertyValue}' is not a valid id: use 3 to 100 characters a-z, 0-9 and '-', starting with a letter or digit.")
            .WithErrorCode(RuleCodes.Slug);

    public static IRuleBuilderOptions<T, string?> IsCode<T>(this IRuleBuilder<T, string?> rule, CodeListCatalog catalog, string list) =>
        rule.Must(v => v is null || catalog.Contains(list, v))
            .WithMessage((_, v) => $"'{v}' is not a {list} code. Allowed: {catalog.Allowed(list)}.")
            .WithErrorCode(RuleCodes.Code);

    public static IRuleBuilderOptions<T, string?> IsCountry<T>(this IRuleBuilder<T, string?> rule, CountryCatalog countries) =>
        rule.Must(v => v is null || countries.IsKnown(v))
            .WithMessage("'{PropertyValue}' is not a known country: use an ISO 3166-1 alpha-3 (AZE), alpha-2 (AZ) or numeric (031) code.")
            .WithErrorCode(RuleCodes.Country);

    public static IRuleBuilderOptions<T, string?> IsHsCode<T>(this IRuleBuilder<T, string?> rule, CommodityCatalog commodities) =>
        rule.Must(v => v is null || commodities.IsAcceptable(v))
            .WithMessage("'{PropertyValue}' is not a usable HS code: use TOTAL, a 2-digit chapter, or a 4- or 6-digit code whose chapter exists.")
            .WithErrorCode(RuleCodes.HsCode);

    public static IRuleBuilderOptions<T, string?> IsHttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(UrlMaxLength)
            .Must(v => v is null || (Uri.TryCreate(v, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host)))
            .WithMessage("'{PropertyValue}' is not an absolute http or https URL.")
            .WithErrorCode(RuleCodes.HttpUrl);

    public static IRuleBuilderOptions<T, string?> IsPartialDate<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || PartialDate.TryParse(v, out _))
            .WithMessage("'{PropertyValue}' is not a real date of the form YYYY, YYYY-MM or YYYY-MM-DD.")
            .WithErrorCode(RuleCodes.PartialDate);

    /// <summary>Plain text: no control characters other than line breaks and tabs.</summary>
    public static IRuleBuilderOptions<T, string?> IsText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength)
            .Must(v => v is null || !v.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            .WithMessage("The text contains control characters.").WithErrorCode(RuleCodes.Text);

    /// <summary>Required non-blank text.</summary>
    public static IRuleBuilderOptions<T, string?> IsRequiredText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.NotEmpty().WithMessage("'{PropertyName}' is required.")
            .Must(v => v is null || v.Trim().Length > 0).WithMessage("'{PropertyName}' must not be blank.")
            .IsText(maxLength);

    public static IRuleBuilderOptions<T, TList?> NoDuplicates<T, TList>(this IRuleBuilder<T, TList?> rule)
        where TList : IEnumerable<string?> =>
        rule.Must(list => list is null || list.Distinct(StringComparer.Ordinal).Count() == list.Count())
            .WithMessage("The list contains the same code more than once.");
}

/// <summary>
/// FluentValidation error codes of the shared rules. Clients never see them (problem bodies carry messages);
/// the OpenAPI limits filter reads them to state each rule's pattern and length in the document.
/// </summary>
public static class RuleCodes
{
    public const string Slug = "slug";
    public const string Code = "code";
    public const string Country = "country";
    public const string HsCode = "hsCode";
    public const string HttpUrl = "httpUrl";
    public const string PartialDate = "partialDate";
    public const string Text = "plainText";
}

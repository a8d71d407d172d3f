using System.Globalization;
using System.Text;

namespace BilateralApi.Infrastructure.Database;

/// <summary>Derives a readable id ("az-il-education-programme") from a title for POSTs that bring none.</summary>
public static class Slugs
{
    public static string From(string text, int maxLength = 80)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterOrDigit(lower))
            {
                slug.Append(lower);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
            if (slug.Length >= maxLength)
            {
                break;
            }
        }
        var result = slug.ToString().Trim('-');
        return result.Length >= 3 ? result : ("record-" + result).Trim('-');
    }

    /// <summary>The first of slug, slug-2, slug-3 … for which <paramref name="exists"/> is false.</summary>
    public static async Task<string> UniqueAsync(string slug, Func<string, Task<bool>> exists)
    {
        var candidate = slug;
        for (var n = 2; await exists(candidate); n++)
        {
            candidate = $"{slug}-{n}";
        }
        return candidate;
    }
}

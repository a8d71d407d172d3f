using System.ComponentModel;

namespace BilateralApi.Sources;

/// <summary>Where in a source a curated record's fact comes from (written and served alike).</summary>
[Description("A citation: the source, where in it (locator), an optional short quote, and whether it asserts, corroborates or contradicts the record.")]
public sealed record Citation(
    [property: Description("Id of an existing source.")] string? SourceId,
    [property: Description("Where in the source: 'paragraph 7', 'page 3', 'table 2'.")] string? Locator,
    [property: Description("A short verbatim quote, at most 300 characters.")] string? Quote,
    [property: Description("citationSupport code: asserts, corroborates or contradicts.")] string? Supports)
{
    public static Citation Example => new("seed-article", "paragraph 1", null, "asserts");
}

/// <summary>A citation row as stored.</summary>
public sealed class CitationRow
{
    public string RecordId { get; set; } = "";
    public long Ordinal { get; set; }
    public string SourceId { get; set; } = "";
    public string? Locator { get; set; }
    public string? Quote { get; set; }
    public string Supports { get; set; } = "";

    public Citation ToContract() => new(SourceId, Locator, Quote, Supports);
}

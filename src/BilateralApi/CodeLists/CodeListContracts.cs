using System.ComponentModel;

namespace BilateralApi.CodeLists;

/// <summary>One entry of a controlled vocabulary, as stored.</summary>
public sealed class CodeListEntryRow
{
    public string List { get; set; } = "";
    public string Code { get; set; } = "";
    public string Parent { get; set; } = "";
    public string Label { get; set; } = "";
    public string Description { get; set; } = "";
    public long? Quad { get; set; }
    public double? Intensity { get; set; }
    public string? Cameo { get; set; }

    public CodeListEntry ToResponse() => new(Code, Label, Description, Parent.Length == 0 ? null : Parent, Quad is null ? null : (int)Quad, Intensity, Cameo);
}

[Description("A controlled vocabulary: its name and entries.")]
public sealed record CodeListResponse(
    [property: Description("The list's name, e.g. eventType.")] string Name,
    [property: Description("The entries in their defined order.")] IReadOnlyList<CodeListEntry> Entries);

[Description("One code of a list. quad, intensity and cameo are given for eventType (PLOVER); parent for eventMode (its event type).")]
public sealed record CodeListEntry(
    string Code,
    string Label,
    string Description,
    [property: Description("For eventMode: the event type the mode belongs to.")] string? Parent,
    [property: Description("PLOVER cooperation class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.")] int? Quad,
    [property: Description("Default intensity on -10..+10 (Goldstein-style).")] double? Intensity,
    [property: Description("CAMEO root code, for interoperability with GDELT and ICEWS.")] string? Cameo);

[Description("The name of a list and how many entries it has.")]
public sealed record CodeListSummary(string Name, int Count, string Href);

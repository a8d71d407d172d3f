using System.ComponentModel;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Querying;

/// <summary>The query-language parameters every list takes besides its per-field filters (docs/querying.md).</summary>
public sealed class ListParameters
{
    [FromQuery(Name = "filter"), Description("Boolean expression over the list's fields: eq ne gt ge lt le, in (...), and/or/not, parentheses, contains(f,'x'), startswith(f,'x'), null. Paths into related rows (parties.country) match when any related row does. Text values in single quotes. See docs/querying.md.")]
    [Example("type eq 'mou' or (status in ('inForce','signed') and signed ge '2020')")]
    public string? Filter { get; set; }

    [FromQuery(Name = "q"), Description("Full-text search over the resource's text fields (case and diacritics ignored); every word must occur (searchMode=raw for query syntax). Lists without text fields answer 400.")]
    [Example("embassy")]
    public string? Q { get; set; }

    [FromQuery(Name = "searchMode"), Description("plain (default): q is words, matched literally; raw: q is a query: AND, OR, NOT, \"phrases\", prefix*, parentheses (FTS5's syntax without NEAR and column filters).")]
    [Example("plain")]
    public string? SearchMode { get; set; }

    [FromQuery(Name = "searchFields"), Description("Restrict q to these text fields (comma-separated), e.g. title,summary.")]
    [Example("title")]
    public string? SearchFields { get; set; }

    [FromQuery(Name = "sort"), Description("Sort keys, comma-separated, '-' for descending; relevance (with q) ranks best matches first. The id is always the final tie-breaker; nulls sort last.")]
    [Example("-date,id")]
    public string? Sort { get; set; }

    [FromQuery(Name = "fields"), Description("Sparse fieldset: only these top-level fields of each item (comma-separated); in CSV, only their columns.")]
    [Example("id,title")]
    public string? Fields { get; set; }

    [FromQuery(Name = "expand"), Description("Extra data in each item: countryNames (a '…Name' beside every country code), citations.source (each citation carries its source).")]
    [Example("countryNames")]
    public string? Expand { get; set; }

    [FromQuery(Name = "facet"), Description("Value counts over the whole filtered set for these fields (comma-separated); dates by year or month with field:year / field:month. Answered in 'facets'.")]
    [Example("type")]
    public string? Facet { get; set; }

    [FromQuery(Name = "count"), Description("none (default), exact, or estimate (exact up to 10,000, then a lower bound). Answered in page.total and X-Total-Count; page.totalTruncated is true when the total is a lower bound.")]
    [Example("exact")]
    public string? Count { get; set; }

    [FromQuery(Name = "format"), Description("json (default), csv or ndjson: csv and ndjson stream every matching row (no page limit). Accept: text/csv or application/x-ndjson does the same.")]
    [Example("csv")]
    public string? Format { get; set; }
}

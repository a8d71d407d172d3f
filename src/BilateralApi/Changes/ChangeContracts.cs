using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Changes;

/// <summary>One entry of the change log.</summary>
[Description("One write: which record, what happened to it, when, by which API key, and the record as stored then (absent for a delete: the tombstone). A bulk trade import is one entry (action import, id import-{seq}) whose data describes the import: source, file name, format, counts and the id ranges it created and updated; a record's history then lists the versions the import wrote, naming it in import.")]
public sealed record ChangeEntry(
    [property: Description("Position in the change log; pass it as 'since' to continue after this change.")] long Seq,
    [property: Description("Resource: sources, agreements, events, claims or trade-records.")] string Resource,
    [property: Description("Id of the record (trade records: the integer id as text).")] string Id,
    [property: Description("create, update, delete, or import (one bulk import of trade records).")] string Action,
    [property: Description("Version of the record this change made (for a delete: the version that was deleted).")] long Version,
    [property: Description("When the change was committed (UTC).")] DateTimeOffset ChangedAt,
    [property: Description("Id of the API key that made the change; absent for the seed dataset and command-line changes."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? KeyId,
    [property: Description("The record as stored by this change, in its GET shape; absent for a delete and for a version a bulk import wrote. For an import entry: the import (sourceId, fileName, format, mode, counts, createdIds and updatedIds as [first, last] id ranges)."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Data,
    [property: Description("In a record's history: the bulk import that wrote this version (the id of its entry in the change feed, e.g. import-12); absent for single writes."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Import = null);

/// <summary>Parameters of the change feed and of record histories.</summary>
public sealed class ChangeQuery
{
    [FromQuery(Name = "since"), Description("Return changes after this seq (exclusive), e.g. the last seq a client has seen; default 0 (from the start). Also accepts a UTC timestamp: changes at or after it.")]
    [Example("120")]
    public string? Since { get; set; }

    [FromQuery(Name = "limit"), Description("Page size, 1 to 500 (default 50).")]
    [Example("50")]
    public string? Limit { get; set; }
}

/// <summary>Filter of the change feed only.</summary>
public sealed class ChangeFeedFilter
{
    [FromQuery(Name = "resource"), Description("Only changes of this resource: sources, agreements, events, claims or trade-records.")]
    [Example("events")]
    public string? Resource { get; set; }
}
